import { createMemoryStore } from '@sess/core';
import type { Engine } from './engine.js';

/** Core's MemoryStore; its raw read is the store's own `peek` backdoor (there is no storage beyond it). */
export function memoryEngine(): Engine {
  return {
    name: 'memory',
    title: 'MemoryStore',
    realTimeExpiry: false,
    async storage(options = {}) {
      const store = createMemoryStore(options.clock ? { clock: options.clock } : {});
      return {
        store,
        raw: async (key) => {
          const record = store.peek(key);
          return record && { data: record.data, expiresAt: record.expiresAt, meta: record.meta };
        },
      };
    },
    close: async () => {},
  };
}
