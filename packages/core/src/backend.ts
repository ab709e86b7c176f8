import type { OwnerIndex, RecordMeta, SessionData, SessionDelta } from './store.js';

/** Reads the cookies of the request. */
export interface CookieJar {
  get(name: string): string | undefined;
  /** Every cookie name the request carries (needed to find chunked cookies). */
  names(): Iterable<string>;
}

/** One cookie a backend wants on the response. `value: null` deletes it. Attributes come from the manager. */
export interface CookieValue {
  name: string;
  value: string | null;
}

/** What the manager tells a backend at each load. */
export interface LoadContext {
  /** The manager's clock at load time, ms since the epoch (a backend that checks expiry itself uses it). */
  now: number;
  /** The manager's `cookieAge` (Django's SESSION_COOKIE_AGE), seconds. */
  cookieAge: number;
}

/** What a backend found for a request. */
export interface LoadedSession {
  /** The server-side key, or null for backends without one (the cookie engine). */
  key: string | null;
  data: SessionData;
  meta: RecordMeta;
  /** When the stored record expires, ms since the epoch. */
  expiresAt: number;
  /** The cookie should be re-issued although nothing changed (it was opened with an older secret). */
  reissue?: boolean;
}

/** What the manager asks a backend to persist. */
export interface SaveRequest {
  /** The current key, or null to create a record under a new key. */
  key: string | null;
  data: SessionData;
  /** Per-key changes since load; absent when the whole record is replaced. */
  delta?: SessionDelta;
  meta: RecordMeta;
  /** The absolute expiry of the record, ms since the epoch. */
  expiresAt: number;
  /**
   * The cookies of the request the save happens in, when there is one: the cookie engine deletes the
   * chunk cookies the browser holds that the new value no longer needs.
   */
  jar?: CookieJar;
}

/** What a save produced. */
export interface SaveResult {
  /** The key the record now lives under (new after a create). */
  key: string | null;
  /** Cookies to send (the session cookie, chunks, deletions of leftover chunks). */
  cookies: CookieValue[];
}

/** Declared abilities of a backend. */
export interface BackendCapabilities {
  /** Records live on the server (keys, destroy, owner index); false for the cookie engine. */
  serverSide: boolean;
  /** Concurrent requests that change different top-level keys both survive. */
  delta: boolean;
  ownerIndex: boolean;
  /**
   * The record keeps its metadata (owner, absolute deadline, creation time) across saves. False for
   * formats that store only data (Django mode, the cookie engine): `absoluteTimeout` is refused at
   * construction and `setOwner()` answers `CapabilityMissing`. @default true
   */
  metadata?: boolean;
}

/**
 * Layer 2 of the store contract: what the manager talks to. Core builds one from any server store
 * (`createStoreBackend`); the cookie engine implements it directly.
 */
export interface SessionBackend {
  /** A short name for error messages. */
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /**
   * Opens the session the request carries. Bad client input (forged, tampered, unknown, expired) is
   * `null`, never an exception; a store failure is a `SessionStoreError`.
   */
  load(jar: CookieJar, cookieName: string, context?: LoadContext): Promise<LoadedSession | null>;
  /** Persists the session. A record that vanished since load raises `SessionInterrupted`. */
  save(request: SaveRequest, cookieName: string): Promise<SaveResult>;
  /** Refreshes the expiry without rewriting data; returns the cookies to re-send. */
  touch(request: SaveRequest, cookieName: string): Promise<SaveResult>;
  /** Removes the record of `key` (a no-op without server-side records). */
  destroy(key: string): Promise<void>;
  /**
   * The id the record of `key` is stored under, as the owner index lists it and handles are derived
   * from: the key itself, or its one-way hash when keys are hashed at rest. @default the key
   */
  recordId?(key: string): string;
  /** Removes a record by the id the owner index lists. @default `destroy(id)` */
  destroyRecord?(id: string): Promise<void>;
  /** The cookies to delete when the session is emptied (the main one and any chunks). */
  cookiesToClear(jar: CookieJar, cookieName: string): CookieValue[];
  /** Present when the backend keeps an owner index. */
  readonly owners?: OwnerIndex;
  /** Releases what the backend opened. */
  close?(): Promise<void>;
}
