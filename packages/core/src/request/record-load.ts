import type { OpenedSession } from '../store/backend-contract.js';
import type { SessionData, SessionRecord } from '../store/contract.js';
import type { ManagerCore } from './manager-core.js';
import { adopt, type RecordState } from './record-writes.js';

/**
 * Takes what the backend opened as the request's record (into `state`), unless it fails the app's schema
 * or its absolute deadline has passed (the record then ends on the server, whatever the store still
 * holds, unless the route is read-only). Synchronous in the common case: no schema, no deadline reached.
 */
export function accept(
  core: ManagerCore,
  state: RecordState,
  opened: OpenedSession,
  readOnly: boolean,
): boolean | Promise<boolean> {
  const record = opened.record;
  if (!record) return false;
  if (core.schema) return validate(core, state, opened, record, readOnly);
  return take(core, state, opened, record, readOnly);
}

async function validate(
  core: ManagerCore,
  state: RecordState,
  opened: OpenedSession,
  record: SessionRecord,
  readOnly: boolean,
): Promise<boolean> {
  const schema = core.schema as NonNullable<ManagerCore['schema']>;
  const result = await schema['~standard'].validate(record.data);
  if (result.issues) {
    core.emit({ type: 'rejected', reason: 'invalid-data' });
    return false;
  }
  record.data = result.value as SessionData;
  return take(core, state, opened, record, readOnly);
}

function take(
  core: ManagerCore,
  state: RecordState,
  opened: OpenedSession,
  record: SessionRecord,
  readOnly: boolean,
): boolean | Promise<boolean> {
  const deadline = record.meta.deadline;
  if (deadline !== undefined && deadline <= core.clock.now()) return expire(core, opened, readOnly);
  adopt(state, opened, record);
  return true;
}

async function expire(core: ManagerCore, opened: OpenedSession, readOnly: boolean): Promise<false> {
  const handle = core.eventHandles.of(opened.key);
  if (opened.key !== null && !readOnly) await core.backend.destroy(opened.key);
  core.emit({ type: 'expired', handle, reason: 'absolute-timeout' });
  return false;
}

/**
 * The stored data of the request's session read again through the same rules as a load (schema, absolute
 * deadline), or null when the record is gone or was never saved. The cookie engine has nothing to read
 * again but the cookie the request carried.
 */
export async function reread(
  core: ManagerCore,
  state: RecordState,
  readOnly: boolean,
): Promise<SessionData | null> {
  const backend = core.backend;
  if (!backend.capabilities.serverSide) return state.meta === null ? null : (state.opened.record?.data ?? {});
  const key = state.key;
  if (key === null) return null;
  const name = core.cookieName;
  const opened = await backend.open({ get: (n) => (n === name ? key : undefined), names: () => [name] });
  if (!(await accept(core, state, opened, readOnly))) return null;
  return opened.record?.data ?? {};
}
