import { type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { mergeVary } from '@sess/core/adapter';
import { perAppPrototype } from './app-prototype.js';

type Method = 'writeHead' | 'write' | 'end' | 'flushHeaders';

interface HeldCall {
  method: Method;
  args: unknown[];
}

/** What runs when the response first tries to send its headers. */
export interface HoldHooks {
  /**
   * Called once, synchronously, with the status about to be sent. Returns a promise when the response must
   * wait for it (the session commit), or undefined to let the response go at once.
   */
  beforeHeaders(status: number): Promise<void> | undefined;
  /** The promise of `beforeHeaders` rejected: the held output was dropped; respond with an error. */
  failed(error: unknown): void;
  /** The hold is over (the response went, or failed): called once, after `failed` when it failed. */
  finished?(): void;
}

const METHODS = ['writeHead', 'write', 'end', 'flushHeaders'] as const;
type Original = (...args: unknown[]) => unknown;

/**
 * The responses held now, by response: the shared wrappers find their state here. A hold never refers to
 * its response (the response is passed to each call): V8's young-generation collector keeps a WeakMap
 * entry whose value reaches its own key, and with it the whole request, alive until a full collection.
 */
const holds = new WeakMap<object, Hold>();
/** Marks a prototype whose methods this module already wraps. */
const wrapped = Symbol('sess.express.hold');

/** The hold of one response: its state, what it queued, and the methods it replays into. */
class Hold {
  state: 'open' | 'holding' | 'released' | 'failed' = 'open';
  readonly queue: HeldCall[] = [];
  owesDrain = false;

  constructor(
    readonly hooks: HoldHooks,
    /** The methods to replay into; null for Node's own (`ServerResponse.prototype`, looked up at each call). */
    readonly original: Readonly<Record<Method, Original>> | null,
  ) {}

  invoke(res: ServerResponse, method: Method, args: unknown[]): unknown {
    switch (method) {
      case 'writeHead':
        if (this.intercept(res, method, args, typeof args[0] === 'number' ? args[0] : res.statusCode))
          return res;
        return this.call(res, method, args);
      case 'flushHeaders':
        if (this.intercept(res, method, [], res.statusCode)) return undefined;
        return this.call(res, method, []);
      case 'write':
        if (this.dropped(res, args)) return false;
        if (this.intercept(res, method, args, res.statusCode)) {
          this.owesDrain = true;
          return false;
        }
        return this.call(res, method, args);
      case 'end':
        if (this.dropped(res, args)) return res;
        if (this.intercept(res, method, args, res.statusCode)) return res;
        return this.call(res, method, args);
    }
  }

  call(res: ServerResponse, method: Method, args: unknown[]): unknown {
    const original = this.original ? this.original[method] : (ServerResponse.prototype[method] as Original);
    return original.apply(res, args);
  }

  /** Returns true when the call must be queued. */
  intercept(res: ServerResponse, method: Method, args: unknown[], status: number): boolean {
    if (this.state === 'holding') {
      this.queue.push({ method, args });
      return true;
    }
    if (this.state !== 'open') return false;
    const pending = this.hooks.beforeHeaders(status);
    if (!pending) {
      this.state = 'released';
      this.finish(res);
      return false;
    }
    this.state = 'holding';
    this.queue.push({ method, args });
    pending.then(
      () => this.release(res),
      (error: unknown) => this.fail(res, error),
    );
    return true;
  }

  release(res: ServerResponse): void {
    this.state = 'released';
    for (const held of this.queue) {
      if (held.method === 'writeHead') held.args = headersToResponse(res, held.args);
      this.call(res, held.method, held.args);
    }
    this.queue.length = 0;
    this.finish(res);
    if (this.owesDrain && !res.writableNeedDrain && !res.destroyed) res.emit('drain');
  }

  fail(res: ServerResponse, error: unknown): void {
    this.state = 'failed';
    this.queue.length = 0;
    if (!res.headersSent) {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.statusCode = 500;
    }
    this.hooks.failed(error);
    this.hooks.finished?.();
  }

  /** Nothing more to hold: the response goes straight to Node's methods from now on. */
  finish(res: ServerResponse): void {
    holds.delete(res);
    this.hooks.finished?.();
  }

  // Writes of the handler whose response was replaced by an error response: drop them quietly instead of
  // letting Node raise "write after end".
  dropped(res: ServerResponse, args: unknown[]): boolean {
    if (this.state !== 'failed' || !res.writableEnded) return false;
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  }
}

/**
 * The prototype to wrap for `res`, or null to wrap `res` itself. Express gives every response its app's
 * prototype (`Object.setPrototypeOf`), and V8 then builds a new hidden class for each property added to the
 * response: four wrappers cost microseconds per request and make later property reads on it slow. So
 * under Express the wrappers go once on the prototype just below `ServerResponse.prototype` (Express's own
 * response object, shared by every app and sub-app), and find the held response in a WeakMap. A response
 * that already carries its own `writeHead`/`write`/`end`/`flushHeaders` (another middleware wrapped it)
 * is wrapped itself, so the hold stays the outermost wrapper as before.
 */
function sharedPrototypeOf(res: ServerResponse): Record<PropertyKey, unknown> | null {
  const own = Object.getPrototypeOf(res) as object | null;
  if (own === null || own === ServerResponse.prototype) return null;
  for (const method of METHODS) if (Object.hasOwn(res, method)) return null;
  return wrappedPrototypeOf(own);
}

/** Wraps the methods on Express's response object, once per app, or null when another wrapper is there. */
const wrappedPrototypeOf = perAppPrototype(ServerResponse.prototype, (proto) => {
  const shared = proto as Record<PropertyKey, unknown>;
  if (!Object.hasOwn(shared, wrapped)) {
    for (const method of METHODS) if (Object.hasOwn(shared, method)) return null;
    for (const method of METHODS) {
      shared[method] = function held(this: ServerResponse, ...args: unknown[]) {
        const hold = holds.get(this);
        // Once released, a held response goes straight to Node's method, as invoke would with more work.
        if (!hold || hold.state === 'released') {
          return (ServerResponse.prototype[method] as Original).apply(this, args);
        }
        return hold.invoke(this, method, args);
      };
    }
    Object.defineProperty(shared, wrapped, { value: true });
  }
  return shared;
});

/**
 * Holds a Node response back until an async step has run before its headers go out. `writeHead`,
 * `write`, `end` and `flushHeaders` are synchronous, so the first of them starts the step and is queued
 * with everything after it; once the step resolves the queue is replayed in order (headers first, so
 * anything the step set on the response goes out with them). If it rejects, the queue is dropped, the
 * headers set so far are removed, and `failed` answers instead. A stream piped into the response sees
 * `write() === false` while held and gets its `drain` after the replay.
 */
export function holdResponse(res: ServerResponse, hooks: HoldHooks): void {
  const shared = sharedPrototypeOf(res);
  if (shared) {
    holds.set(res, new Hold(hooks, null));
    return;
  }
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  } as Record<Method, Original>;
  const hold = new Hold(hooks, original);
  res.writeHead = function writeHead(...args: unknown[]) {
    return hold.invoke(res, 'writeHead', args);
  } as ServerResponse['writeHead'];
  res.flushHeaders = function flushHeaders() {
    hold.invoke(res, 'flushHeaders', []);
  };
  res.write = function write(...args: unknown[]) {
    return hold.invoke(res, 'write', args);
  } as ServerResponse['write'];
  res.end = function end(...args: unknown[]) {
    return hold.invoke(res, 'end', args);
  } as ServerResponse['end'];
}

/**
 * `writeHead(status, [message], [headers])` replaces headers set before it with the ones it is given, so
 * those are moved onto the response first (keeping what the commit appended), and the call replays without.
 */
function headersToResponse(res: ServerResponse, args: unknown[]): unknown[] {
  const last = args[args.length - 1];
  if (args.length < 2 || typeof last !== 'object' || last === null) return args;
  const pairs: [string, unknown][] = Array.isArray(last)
    ? pairsOfFlatList(last)
    : Object.entries(last as OutgoingHttpHeaders);
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'set-cookie' || lower === 'vary') {
      mergeHeader(res, name, value as string | string[]);
    } else {
      res.setHeader(name, value as string | number | readonly string[]);
    }
  }
  return args.slice(0, -1);
}

function pairsOfFlatList(list: unknown[]): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) pairs.push([String(list[i]), list[i + 1]]);
  return pairs;
}

function mergeHeader(res: ServerResponse, name: string, value: string | string[]): void {
  if (name.toLowerCase() !== 'vary') {
    res.setHeader(name, [res.getHeader(name) ?? [], value].flat().map(String));
    return;
  }
  let merged = res.getHeader(name) as string | string[] | undefined;
  for (const field of [value].flat().flatMap((v) => v.split(','))) {
    const trimmed = field.trim();
    if (trimmed) merged = mergeVary(merged, trimmed) ?? merged;
  }
  if (merged !== undefined) res.setHeader(name, merged);
}
