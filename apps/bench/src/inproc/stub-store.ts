import type { FloorStore } from '../contenders/floor-logic.js';
import { VISITS } from '../contenders/shared.js';

/** A sess store that answers at once: the session layer's own work is all that is left to measure. */
export function stubSessStore() {
  return {
    name: 'stub',
    capabilities: { delta: true, ownerIndex: false, nativeExpiry: true, expiryResolution: 'ms' as const },
    async load() {
      const now = Date.now();
      return {
        data: { [VISITS]: 5 },
        expiresAt: now + 1e9,
        meta: { createdAt: now - 1e3, lastSeenAt: now - 1e3 },
      };
    },
    create: async () => true,
    update: async () => true,
    touch: async () => true,
    async destroy() {},
  };
}

/** The floor's store answering the same way: every id has `{ num_visits: 5 }`, saves go nowhere. */
export function stubFloorStore(): FloorStore {
  const json = JSON.stringify({ [VISITS]: 5 });
  return {
    get: () => json,
    set() {},
  };
}
