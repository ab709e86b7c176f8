import type { FloorHandlers } from '../../contenders/floor-logic.js';
import type { Listener } from '../handler.js';

/** The counter's session, as every sess adapter hands it out. */
export interface CounterSession {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * The three apps of one framework, each serving `GET /visit` the same way (same routing, same body), so
 * that what differs between them is the session work only:
 * - `bare`: the framework alone, a constant body;
 * - `floor`: the hand-written floor's handler, with the same calls as the socket bench's floor wrappers;
 * - `sess`: the framework's sess adapter from the checkout at `root`, lazy `getSession()`, on `store`.
 */
export interface FrameworkApps {
  bare(): Listener | Promise<Listener>;
  floor(floor: FloorHandlers): Listener | Promise<Listener>;
  sess(root: string, store: unknown): Promise<Listener>;
}
