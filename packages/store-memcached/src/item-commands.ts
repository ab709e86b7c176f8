import { SessionStoreError } from '@sess/core';
import { type DecodedEnvelope, decodeEnvelope } from '@sess/core/store';
import { callClient, commandFailed } from './client-call.js';
import type { MemcachedCallback, MemcachedLike } from './memcached-like.js';
import { STORE_NAME } from './options.js';

/** An item read with `gets`: its envelope (null when it is not one this store wrote) and its CAS token. */
export interface Item {
  envelope: DecodedEnvelope | null;
  cas: string;
}

/** An item as `gets` returns it, with the length of its value (to bound what is kept in memory). */
export interface ReadItem extends Item {
  bytes: number;
}

/** The three memcached commands the store sends, with its deadline, size limit and error rules. */
export interface ItemCommands {
  /** `gets`: the item under `id` with its CAS token, or null on a miss. */
  gets(operation: string, id: string): Promise<ReadItem | null>;
  /** `add`: false when the key is taken (NOT_STORED). */
  add(operation: string, id: string, value: string, exptime: number): Promise<boolean>;
  /** `cas` on `token`: false when the item changed (EXISTS) or vanished (NOT_FOUND) since that `gets`. */
  cas(operation: string, id: string, value: string, token: string, exptime: number): Promise<boolean>;
}

/** How the commands reach the client. */
export interface ItemCommandSettings {
  /** The memcached key of a record id. */
  keyOf(id: string): string;
  operationTimeoutMs: number;
  maxValueBytes: number;
}

const isNotStored = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { notStored?: unknown }).notStored === true;

/** The commands of the store, on `client`. */
export function itemCommands(client: MemcachedLike, settings: ItemCommandSettings): ItemCommands {
  const { keyOf, operationTimeoutMs, maxValueBytes } = settings;
  const call = <T>(operation: string, command: string, send: (callback: MemcachedCallback<T>) => void) =>
    callClient(operation, command, operationTimeoutMs, send);

  /** The value, when it fits `maxValueBytes`: an oversized item would take the whole server away. */
  function sized(operation: string, value: string): string {
    const bytes = Buffer.byteLength(value);
    if (bytes > maxValueBytes) {
      throw new SessionStoreError(
        `[${STORE_NAME}] ${operation} refused: the session takes ${bytes} bytes, over maxValueBytes (${maxValueBytes})`,
        { operation },
      );
    }
    return value;
  }

  return {
    async gets(operation, id) {
      const { error, result } = await call<unknown>(operation, 'gets', (cb) => client.gets(keyOf(id), cb));
      if (error) throw commandFailed(operation, 'gets', error);
      if (result === undefined || result === null || result === false) return null;
      const { cas, ...values } = result as Record<string, unknown>;
      if (typeof cas !== 'string') throw commandFailed(operation, 'gets', 'the reply carries no CAS token');
      const raw = Object.values(values)[0];
      if (typeof raw !== 'string') return { envelope: null, cas, bytes: 0 };
      return { envelope: decodeEnvelope(raw), cas, bytes: raw.length };
    },

    async add(operation, id, value, exptime) {
      const body = sized(operation, value);
      const { error, result } = await call<boolean>(operation, 'add', (cb) =>
        client.add(keyOf(id), body, exptime, cb),
      );
      if (isNotStored(error)) return false;
      if (error) throw commandFailed(operation, 'add', error);
      // The client answers SERVER_ERROR with no error and `false`: never take that for success.
      if (result !== true) throw commandFailed(operation, 'add', 'the server did not store the item');
      return true;
    },

    async cas(operation, id, value, token, exptime) {
      const body = sized(operation, value);
      const { error, result } = await call<boolean>(operation, 'cas', (cb) =>
        client.cas(keyOf(id), body, token, exptime, cb),
      );
      if (error) throw commandFailed(operation, 'cas', error);
      return result === true;
    },
  };
}
