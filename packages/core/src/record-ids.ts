import type { SessionBackend } from './backend.js';

/** The id the record of `key` is stored under: the key, unless keys are hashed at rest. */
export function recordIdOf(backend: SessionBackend, key: string): string {
  return backend.recordId ? backend.recordId(key) : key;
}

/** Removes a record by the id the owner index lists it under. */
export function destroyRecordById(backend: SessionBackend, id: string): Promise<void> {
  return backend.destroyRecord ? backend.destroyRecord(id) : backend.destroy(id);
}
