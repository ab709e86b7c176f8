import type { Clock } from '../clock.js';
import type { MetaChange, OwnerIndex, SessionDelta, SessionRecord } from './contract.js';

/**
 * Layer 2 of the store contract: what the manager talks to. Core builds a backend from any server store;
 * the cookie engine, whose session is one or more cookies rather than a key, implements one directly and
 * hands the manager a {@link BackendProvider}.
 */

/** Reads the cookies of the request. */
export interface CookieJar {
  get(name: string): string | undefined;
  /** Every cookie name the request carries (needed to find chunked cookies). */
  names(): Iterable<string>;
}

/** One cookie a backend wants on the response. `value: null` deletes it. The manager adds the attributes. */
export interface CookieValue {
  name: string;
  value: string | null;
}

/** What the manager binds into a backend once, when it is built. */
export interface BackendSettings {
  /** The session cookie's name (SESSION_COOKIE_NAME). */
  cookieName: string;
  /** SESSION_COOKIE_AGE, seconds. */
  cookieAge: number;
  /** The manager's clock. */
  clock: Clock;
}

/** Builds the backend for one manager: what the manager's `store` option takes besides a server store. */
export interface BackendProvider {
  /** A short name for error messages. */
  readonly name: string;
  createBackend(settings: BackendSettings): SessionBackend;
}

/**
 * What a backend found for a request. A backend may return its own extension of it (the cookie engine
 * keeps the request's cookies), and gets the same object back with every write of that request.
 */
export interface OpenedSession {
  /** The server-side key of the session found; null when none was found, and for backends without keys. */
  readonly key: string | null;
  /** The record found; null for no session, or an unknown, expired, forged or tampered one. */
  readonly record: SessionRecord | null;
  /** The cookie should be re-issued although nothing changed (it was opened with an older secret). */
  readonly reissue?: boolean;
}

/** One write of a request's session. */
export interface BackendWrite {
  /** The current key, or null to create a record under a new key. */
  key: string | null;
  /**
   * For a create: the key to try first (one the request already showed as the session's id). A backend
   * that generates keys uses it unless it collides; others ignore it.
   */
  preferredKey?: string;
  /** The session as the request sees it: what a create, or a backend that writes whole, stores. */
  record: SessionRecord;
  /** Per-key changes since load, when the request has them (not after `clear()` or a new key). */
  delta?: SessionDelta;
  /** What the request changed besides data: what an update of an existing record applies. */
  change: MetaChange;
}

/** What a write produced. */
export interface SaveResult {
  /** The key the record now lives under (new after a create or a cycle); null without keys. */
  key: string | null;
  /** Cookies to send (the session cookie, chunks, deletions of leftover chunks). */
  cookies: CookieValue[];
}

/** Declared abilities of a backend. */
export interface BackendCapabilities {
  /** Records live on the server (keys, cycle, destroy, owner index); false for the cookie engine. */
  serverSide: boolean;
  /** Concurrent requests that change different top-level keys both survive. */
  delta: boolean;
  ownerIndex: boolean;
  /**
   * The record keeps its metadata (owner, absolute deadline, creation time) across saves. False for formats
   * that store only data (Django mode, the cookie engine): `absoluteTimeout` is refused at construction and
   * `setOwner()` answers `CapabilityMissing`.
   */
  metadata: boolean;
  /** Whether record ids are the keys themselves (nothing hashed at rest). */
  rawKeys: boolean;
}

/** A session backend: one per manager, bound to its cookie name and clock. */
export interface SessionBackend {
  /** A short name for error messages. */
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /**
   * Opens the session the request's cookies carry. Bad client input (forged, tampered, unknown, expired)
   * is a session with no record, never an exception; a store failure is a `SessionStoreError`.
   */
  open(jar: CookieJar): Promise<OpenedSession>;
  /** Persists the session. A record that vanished since load raises `SessionInterrupted`. */
  save(opened: OpenedSession, write: BackendWrite): Promise<SaveResult>;
  /** Refreshes the expiry without rewriting data; returns the cookies to re-send. */
  touch(opened: OpenedSession, write: BackendWrite): Promise<SaveResult>;
  /**
   * Moves the session to a new key (server-side backends only). With `graceSeconds` 0 the old record is
   * destroyed (`cycleKey()` at login); otherwise it stays that long, linked to its successor, so requests
   * in flight with the old key still work and a logout through either key ends both.
   */
  cycle?(opened: OpenedSession, write: BackendWrite, graceSeconds: number): Promise<SaveResult>;
  /**
   * Ends the session of `key` on the server: its record, and every record of its rotation family (the key
   * it was rotated from, any it was rotated into). A no-op without server-side records.
   */
  destroy(key: string): Promise<void>;
  /** The cookies to delete when the session is emptied (the main one and any chunks). */
  clear(opened: OpenedSession): CookieValue[];
  /** The id the record of `key` is stored under (the key, or its hash when keys are hashed at rest). */
  recordId(key: string): string;
  /** Removes a record by the id the owner index lists. */
  destroyRecord(id: string): Promise<void>;
  /** Present when the backend keeps an owner index. */
  readonly owners?: OwnerIndex;
  /** Releases what the backend opened. */
  close?(): Promise<void>;
}
