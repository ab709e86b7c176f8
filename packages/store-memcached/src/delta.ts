import type { SessionData, SessionDelta } from '@sess/core/store';

/**
 * Applies a delta to freshly decoded data, per top-level key: unset keys are removed, set keys are
 * replaced whole. Keys are defined as own properties, so `__proto__` stays ordinary data.
 */
export function applyDelta(data: SessionData, delta: SessionDelta): SessionData {
  for (const key of delta.unset) delete data[key];
  for (const [key, value] of Object.entries(delta.set)) {
    Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return data;
}
