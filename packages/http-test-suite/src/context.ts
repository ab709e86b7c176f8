import {
  type CookieOverrides,
  createMemoryStore,
  type RoutePolicy,
  type SessionBackend,
  type SessionManagerOptions,
  type SessionStore,
} from '@sess/core';
import { createTestClock, type TestClock } from '@sess/core/testing';
import { onTestFinished } from 'vitest';
import { Client } from './client.js';
import { type CallCounter, countCalls } from './counting.js';
import type {
  AdapterUnderTest,
  HttpSuiteOptions,
  StorageInstance,
  StorageUnderTest,
  SuiteHandler,
} from './types.js';

/** Options of one test server. */
export interface ServeOptions {
  /** Manager options (and `eager`) beside the storage. */
  options?: Omit<SessionManagerOptions, 'store' | 'backend'> & { eager?: boolean; policy?: RoutePolicy };
  cookie?: (path: string) => CookieOverrides | undefined;
  /** Storage for this server instead of a fresh one from the storage under test. */
  storage?: StorageInstance;
}

/** A server started for one test, closed with its storage when the test ends. */
export interface TestServer {
  url: string;
  /** A new browser-like client. */
  client(): Client;
  /** Calls the manager made on the storage (store methods, or backend methods for a backend). */
  counter: CallCounter;
  /**
   * Storage I/O so far: every store call for a server store; for a backend, its writes (`save`, `touch`,
   * `destroy`), since its `load` only reads the request's cookies.
   */
  io(): number;
  /** Storage writes so far: store `create`/`update`/`touch`/`destroy`, or backend `save`/`touch`/`destroy`. */
  writes(): number;
  /** The store itself, uncounted, when the storage is a server store. */
  store: SessionStore | undefined;
  /** The backend itself, uncounted, when the storage is a backend. */
  backend: SessionBackend | undefined;
  clock: TestClock;
}

/** What every concern of the suite receives. */
export interface SuiteContext {
  adapter: AdapterUnderTest;
  storage: StorageUnderTest;
  /** Fresh storage for a test, closed when it ends. */
  createStorage(clock: TestClock): Promise<StorageInstance>;
  /** Starts a server for the current test. */
  serve(handler: SuiteHandler, options?: ServeOptions): Promise<TestServer>;
}

/** The default storage: a core MemoryStore per test, reading the suite's clock. */
export const memoryStorage: StorageUnderTest = {
  name: 'MemoryStore',
  create: ({ clock }) => ({ store: createMemoryStore({ clock }) }),
};

/** Builds the context the concerns share. */
export function suiteContext(adapter: AdapterUnderTest, options: HttpSuiteOptions): SuiteContext {
  const storage = options.storage ?? memoryStorage;
  const createStorage = async (clock: TestClock): Promise<StorageInstance> => {
    const instance = await storage.create({ clock });
    onTestFinished(async () => {
      await instance.close?.();
    });
    return instance;
  };
  return {
    adapter,
    storage,
    createStorage,
    async serve(handler, serveOptions = {}) {
      const clock = createTestClock(Date.now());
      const instance = serveOptions.storage ?? (await createStorage(clock));
      let counted: { store: SessionStore } | { backend: SessionBackend };
      let counter: CallCounter;
      if ('store' in instance) {
        const { wrapped, counter: c } = countCalls(instance.store);
        counted = { store: wrapped };
        counter = c;
      } else {
        const { wrapped, counter: c } = countCalls(instance.backend);
        counted = { backend: wrapped };
        counter = c;
      }
      const server = await adapter.start(
        {
          options: { clock, ...counted, ...serveOptions.options },
          ...(serveOptions.cookie ? { cookie: serveOptions.cookie } : {}),
        },
        handler,
      );
      onTestFinished(() => server.close());
      return {
        url: server.url,
        client: () => new Client(server.url),
        counter,
        io: () =>
          'store' in instance
            ? counter.total()
            : counter.count('save') + counter.count('touch') + counter.count('destroy'),
        writes: () =>
          ['create', 'update', 'save', 'touch', 'destroy'].reduce(
            (sum, method) => sum + counter.count(method),
            0,
          ),
        store: 'store' in instance ? instance.store : undefined,
        backend: 'backend' in instance ? instance.backend : undefined,
        clock,
      };
    },
  };
}
