import { connect } from 'node:net';
import type { HostPort } from './address.js';

/**
 * Connects, writes `request`, collects bytes until `parse` returns something other than undefined, closes.
 * One connection per request: for readiness checks and tests, not for speed.
 */
export function netRequest<T>(
  target: HostPort,
  request: string | Buffer,
  parse: (received: Buffer) => T | undefined,
  timeoutMs = 2_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (error: Error | undefined, value?: T): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve(value as T);
    };
    socket.setTimeout(timeoutMs, () => settle(new Error(`no answer from ${target.host}:${target.port}`)));
    socket.on('error', (error) => settle(error));
    socket.on('close', () => settle(new Error(`${target.host}:${target.port} closed the connection`)));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      try {
        const value = parse(received);
        if (value !== undefined) settle(undefined, value);
      } catch (error) {
        settle(error as Error);
      }
    });
  });
}
