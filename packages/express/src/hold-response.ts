import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

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
}

/**
 * Holds a Node response back until an async step has run before its headers go out. `writeHead`,
 * `write`, `end` and `flushHeaders` are synchronous, so the first of them starts the step and is queued
 * with everything after it; once the step resolves the queue is replayed in order (headers first, so
 * anything the step set on the response goes out with them). If it rejects, the queue is dropped, the
 * headers set so far are removed, and `failed` answers instead. A stream piped into the response sees
 * `write() === false` while held and gets its `drain` after the replay.
 */
export function holdResponse(res: ServerResponse, hooks: HoldHooks): void {
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  };
  let state: 'open' | 'holding' | 'released' | 'failed' = 'open';
  const queue: HeldCall[] = [];
  let owesDrain = false;

  const call = (method: Method, args: unknown[]): unknown =>
    (original[method] as (...a: unknown[]) => unknown).apply(res, args);

  const release = () => {
    state = 'released';
    for (const held of queue) {
      if (held.method === 'writeHead') held.args = headersToResponse(res, held.args);
      call(held.method, held.args);
    }
    queue.length = 0;
    if (owesDrain && !res.writableNeedDrain && !res.destroyed) res.emit('drain');
  };

  const fail = (error: unknown) => {
    state = 'failed';
    queue.length = 0;
    if (!res.headersSent) {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.statusCode = 500;
    }
    hooks.failed(error);
  };

  /** Returns true when the call must be queued. */
  const intercept = (method: Method, args: unknown[], status: number): boolean => {
    if (state === 'holding') {
      queue.push({ method, args });
      return true;
    }
    if (state !== 'open') return false;
    const pending = hooks.beforeHeaders(status);
    if (!pending) {
      state = 'released';
      return false;
    }
    state = 'holding';
    queue.push({ method, args });
    pending.then(release, fail);
    return true;
  };

  // Writes of the handler whose response was replaced by an error response: drop them quietly instead of
  // letting Node raise "write after end".
  const dropped = (args: unknown[]): boolean => {
    if (state !== 'failed' || !res.writableEnded) return false;
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };

  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
    if (intercept('writeHead', args, status)) return res;
    return call('writeHead', args);
  } as ServerResponse['writeHead'];

  res.flushHeaders = function flushHeaders(this: ServerResponse) {
    if (intercept('flushHeaders', [], res.statusCode)) return;
    call('flushHeaders', []);
  };

  res.write = function write(this: ServerResponse, ...args: unknown[]) {
    if (dropped(args)) return false;
    if (intercept('write', args, res.statusCode)) {
      owesDrain = true;
      return false;
    }
    return call('write', args);
  } as ServerResponse['write'];

  res.end = function end(this: ServerResponse, ...args: unknown[]) {
    if (dropped(args)) return res;
    if (intercept('end', args, res.statusCode)) return res;
    return call('end', args);
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
  const before = res.getHeader(name);
  const values = [before ?? [], value].flat().map(String);
  if (name.toLowerCase() === 'vary') {
    res.setHeader(name, [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()))].join(', '));
  } else {
    res.setHeader(name, values);
  }
}
