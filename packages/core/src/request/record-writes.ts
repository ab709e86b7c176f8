import { CapabilityMissing, SessionInterrupted } from '../errors.js';
import type { SessionEvent } from '../manager/session-events.js';
import type { SessionContents } from '../session/session-contents.js';
import type { CookieValue, OpenedSession } from '../store/backend-contract.js';
import type { RecordMeta, SessionDelta, SessionRecord } from '../store/contract.js';
import type { ManagerCore } from './manager-core.js';
import { makeRoomForOwner, ownerLimitError, settleOwnerLimit } from './owner-limit.js';
import { planWrite } from './plan-write.js';

/** The cookies one write produced, and the lifetime they carry. */
export interface Written {
  cookies: CookieValue[];
  /** Max-Age in seconds, or null for a browser-session cookie. */
  maxAge: number | null;
  now: number;
}

/** The record of one request's session as the request knows it: what its writes read and move on. */
export interface RecordState {
  /** What the backend opened (the backend's own state rides along). */
  opened: OpenedSession;
  key: string | null;
  /** The metadata as loaded, or as this request last wrote it; null for a new session. */
  meta: RecordMeta | null;
  /** The cookie must be re-issued (opened with an older secret). */
  reissue: boolean;
  owner: string | undefined;
  /** The owner was bound or unbound in this request: the next write carries it. */
  ownerChanged: boolean;
  /** The owner was bound under an `ownerLimit`: count again once the binding is saved. */
  limitPending: boolean;
  /** The cookie of a write made before the commit (an explicit `save()`), still to be sent. */
  owed: Written | null;
  /** The key a new session will be created under, once its id was asked for. */
  reserved: string | undefined;
}

const NOT_LOADED: OpenedSession = Object.freeze({ key: null, record: null });

/** The state of a request whose session is not loaded yet. */
export function newRecordState(): RecordState {
  return {
    opened: NOT_LOADED,
    key: null,
    meta: null,
    reissue: false,
    owner: undefined,
    ownerChanged: false,
    limitPending: false,
    owed: null,
    reserved: undefined,
  };
}

/** Takes what the backend opened as the request's record. */
export function adopt(state: RecordState, opened: OpenedSession, record: SessionRecord): void {
  state.opened = opened;
  state.key = opened.key;
  state.meta = record.meta;
  state.reissue = opened.reissue === true;
  state.owner = record.meta.owner;
  state.ownerChanged = false;
}

/** Emits `event` for this session, with its owner. */
export function emitFor(core: ManagerCore, state: RecordState, event: SessionEvent): void {
  if (!core.listening) return;
  const owner = state.owner;
  core.emit(owner === undefined || 'owner' in event ? event : ({ ...event, owner } as SessionEvent));
}

/**
 * Creates the record under a new key, or updates it: the data and the metadata this request changed.
 * `final`: the commit's own save, after which nothing more can be written.
 */
export async function persist(
  core: ManagerCore,
  state: RecordState,
  contents: SessionContents,
  options: { delta: SessionDelta | undefined; now: number; final: boolean },
): Promise<Written> {
  const created = state.key === null;
  const planned = planWrite(core, state, contents, { whole: false, now: options.now, delta: options.delta });
  if (created && state.reserved !== undefined) planned.write.preferredKey = state.reserved;
  const result = await core.backend.save(state.opened, planned.write);
  state.key = result.key;
  state.meta = planned.write.record.meta;
  state.ownerChanged = false;
  state.reissue = false;
  contents.reset(options.final);
  if (created && core.backend.capabilities.serverSide) {
    emitFor(core, state, { type: 'created', handle: core.eventHandles.of(state.key) });
  }
  if (state.limitPending) await settleOwner(core, state, contents, planned.write.record);
  return { cookies: result.cookies, maxAge: planned.maxAge, now: planned.now };
}

/** Moves the expiry (refreshed from the record as stored) without rewriting data. */
export async function touch(
  core: ManagerCore,
  state: RecordState,
  contents: SessionContents,
  now: number,
): Promise<Written> {
  const planned = planWrite(core, state, contents, { whole: false, now });
  delete planned.write.change.expiry;
  const result = await core.backend.touch(state.opened, planned.write);
  state.meta = planned.write.record.meta;
  return { cookies: result.cookies, maxAge: planned.maxAge, now: planned.now };
}

/**
 * Moves the data to a new key (server-side backends). `graceSeconds` 0 ends the old record and its rotation
 * family at once (`cycleKey()` at login); more keeps it that long, linked to its successor (a periodic
 * rotation).
 */
export async function cycle(
  core: ManagerCore,
  state: RecordState,
  contents: SessionContents,
  now: number,
  graceSeconds: number,
): Promise<Written> {
  const backend = core.backend;
  const move = backend.cycle as NonNullable<typeof backend.cycle>;
  const previousHandle = core.eventHandles.of(state.key);
  const planned = planWrite(core, state, contents, { whole: true, now });
  if (state.key === null && state.reserved !== undefined) planned.write.preferredKey = state.reserved;
  const result = await move.call(backend, state.opened, planned.write, graceSeconds);
  state.key = result.key;
  state.meta = planned.write.record.meta;
  state.ownerChanged = false;
  const handle = core.eventHandles.of(state.key);
  if (graceSeconds > 0) {
    emitFor(core, state, { type: 'rotated', handle, previousHandle });
  } else {
    emitFor(core, state, { type: 'created', handle });
    if (previousHandle !== null)
      emitFor(core, state, { type: 'destroyed', handle: previousHandle, reason: 'cycle' });
  }
  return { cookies: result.cookies, maxAge: planned.maxAge, now: planned.now };
}

/** Ends the record (and its rotation family) at once and forgets the key (logout). */
export async function flush(core: ManagerCore, state: RecordState): Promise<void> {
  const key = state.key;
  const handle = core.eventHandles.of(state.key);
  state.key = null;
  state.meta = null;
  state.reissue = false;
  state.owed = null;
  state.reserved = undefined;
  if (key !== null) {
    await core.backend.destroy(key);
    emitFor(core, state, { type: 'destroyed', handle, reason: 'flush' });
  }
  state.owner = undefined;
  state.ownerChanged = false;
}

/** Binds the session to `owner` for the next write, making room first under `ownerLimit`. */
export async function bindOwner(core: ManagerCore, state: RecordState, owner: string): Promise<void> {
  if (typeof owner !== 'string' || owner.length === 0 || owner.length > 256) {
    throw new TypeError('[@sess/core] setOwner() takes a non-empty string of at most 256 characters');
  }
  const backend = core.backend;
  if (!backend.capabilities.metadata) {
    throw new CapabilityMissing(backend.name, 'session owners (it keeps no session metadata)');
  }
  await makeRoomForOwner(core, owner, state.key === null ? null : backend.recordId(state.key));
  state.owner = owner;
  state.ownerChanged = true;
  state.limitPending = core.policy.ownerLimit !== null;
}

/** Counts the owner's sessions again once this binding is saved; refuses the login when it must give way. */
async function settleOwner(
  core: ManagerCore,
  state: RecordState,
  contents: SessionContents,
  saved: SessionRecord,
): Promise<void> {
  state.limitPending = false;
  const owner = state.owner;
  const key = state.key;
  if (owner === undefined || key === null) return;
  const id = core.backend.recordId(key);
  const others = await settleOwnerLimit(core, owner, { id, meta: saved.meta, expiresAt: saved.expiresAt });
  if (others === null) return;
  // This session gives way: it stays, unbound, and the login fails.
  state.owner = undefined;
  state.ownerChanged = true;
  try {
    const planned = planWrite(core, state, contents, { whole: false, now: core.clock.now() });
    await core.backend.touch(state.opened, planned.write);
    state.meta = planned.write.record.meta;
    state.ownerChanged = false;
  } catch (error) {
    // A concurrent login already evicted this session: refused all the same.
    if (!(error instanceof SessionInterrupted)) throw error;
    state.key = null;
    state.meta = null;
  }
  throw ownerLimitError(others, core.policy.ownerLimit?.max ?? 0);
}
