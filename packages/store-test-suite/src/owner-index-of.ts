import { CapabilityMissing } from '@sess/core';
import type { OwnerIndex, SessionStore } from '@sess/core/store';

/**
 * The owner index of `store`, or a typed `CapabilityMissing` error when the engine does not declare
 * one: how code (and the suite) asks for the capability instead of assuming it.
 */
export function ownerIndexOf(store: SessionStore): OwnerIndex {
  if (store.capabilities.ownerIndex && store.owners) return store.owners;
  throw new CapabilityMissing(store.name, 'the owner index (capabilities.ownerIndex)');
}
