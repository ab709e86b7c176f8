import type { MetaChange, SessionDelta, SessionUpdate } from '@sess/core/store';
import { STORE_NAME } from './options.js';
import { dataField, dataPairs, encodeValue } from './record-fields.js';
import type { RedisArgument } from './redis-like.js';

/** An instant the store hands to Redis: checked finite, so no script ever sees `NaN`. */
export function instant(operation: string, name: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(`[${STORE_NAME}] ${operation}: ${name} must be a finite number of ms, got ${value}`);
  }
  return value;
}

/** A change argument of the write script: `''` keeps, `'-'` removes, `'=<value>'` writes. */
function changeArg(value: string | number | null | undefined): string {
  if (value === undefined) return '';
  return value === null ? '-' : `=${value}`;
}

/** The owner index the client has raised for this record before the write, if any. */
export interface RaisedIndex {
  owner: string;
  score: number;
}

/**
 * The fixed head of the write script's arguments, in the order of `WRITE_ARG` (write-script.ts): the change's
 * instants and lifetimes as text, the owner, previous and next change arguments and the owner whose index
 * the client raised.
 */
export function changeArgs(
  operation: string,
  change: MetaChange,
  index: boolean,
  raised: RaisedIndex | undefined,
): RedisArgument[] {
  const now = instant(operation, 'now', change.now);
  const expiry = change.expiry;
  const refreshed = now + change.defaultLifetime * 1000;
  const due = Math.ceil(refreshed);
  return [
    String(now),
    String(change.defaultLifetime),
    String(refreshed),
    Number.isSafeInteger(due) ? String(due) : '',
    expiry === undefined ? '' : String(instant(operation, 'expiresAt', expiry.expiresAt)),
    expiry === undefined ? '' : changeArg(expiry.lifetime),
    change.deadline === undefined ? '' : String(instant(operation, 'deadline', change.deadline)),
    index ? '1' : '0',
    changeArg(change.owner),
    changeArg(change.previous),
    changeArg(change.next),
    raised === undefined ? '' : `=${raised.owner}`,
    raised === undefined ? '' : String(raised.score),
  ];
}

/** The arguments of a touch after the head: no data field is removed or written. */
export const TOUCH_DATA: readonly RedisArgument[] = [0];

/** The data part of an update: removals (or -1 to replace every data field), then pairs to write. */
export function updateDataArgs(update: SessionUpdate): RedisArgument[] {
  if (!update.delta) return [-1, ...dataPairs(update.data)];
  return deltaArgs(update.delta);
}

function deltaArgs(delta: SessionDelta): RedisArgument[] {
  const removed: RedisArgument[] = [];
  const pairs: string[] = [];
  for (const name of delta.unset) removed.push(dataField(name));
  const set = delta.set;
  for (const name of Object.keys(set)) {
    const json = encodeValue(set[name]);
    if (json === undefined) removed.push(dataField(name));
    else pairs.push(dataField(name), json);
  }
  return [removed.length, ...removed, ...pairs];
}

/**
 * The expiry a write will most likely leave, to raise an owner index before binding: the expiry the
 * request set, or a refresh by the default lifetime. The script refuses the write when the record's own
 * lifetime makes it later, and the client raises again.
 */
export function expectedExpiry(change: MetaChange): number {
  if (change.expiry) return change.expiry.expiresAt;
  const slid = change.now + change.defaultLifetime * 1000;
  return change.deadline !== undefined && change.deadline < slid ? change.deadline : slid;
}
