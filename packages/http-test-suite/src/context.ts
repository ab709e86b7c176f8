import {
  type CookieOverrides,
  createMemoryStore,
  type RoutePolicy,
  type SessionManagerOptions,
} from '@sess/core';
import type { BackendProvider, SessionBackend, SessionStore } from '@sess/core/store';
import { createTestClock, type TestClock } from '@sess/core/testing';
import { onTestFinished } from 'vitest';
import { Client } from './client.js';
import { type CallCounter, countCalls, createCallCounter } from './counting.js';
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
  options?: Omit<SessionManagerOptions, 'store'> & { eager?: boolean; policy?: RoutePolicy };
  /** Per-request cookie overrides (the adapter's `cookieFor`), by request path. */
  cookieFor?: (path: string) => CookieOverrides | undefined;
  /** Storage for this server instead of a fresh one from the storage under test. */
  storage?: StorageInstance;
}

/** A server started for one test, closed with its storage when the test ends. */
export interface TestServer {
  url: string;
  /** A new browser-like client. */
  client(): Client;
  /**
   * Calls the manager made on the storage: store methods for a server store, or the methods of the backend
   * a provider built (the cookie engine).
   */
  counter: CallCounter;
  /**
   * Storage I/O so far: every store call for a server store; for a provider's backend, its writes (`save`,
   * `touch`, `destroy`), since its `open` only reads the request's cookies.
   */
  io(): number;
  /** Loads so far: store `load`, or backend `open` (which reads the request's cookies). */
  loads(): number;
  /** Storage writes so far: store `create`/`update`/`touch`/`destroy`, or backend `save`/`touch`/`destroy`. */
  writes(): number;
  /** The store itself, uncounted, when the storage is a server store. */
  store: SessionStore | undefined;
  /** The backend a provider built for this server's manager, uncounted; undefined for a server store. */
  readonly backend: SessionBackend | undefined;
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
      const counted = countStorage(instance.store);
      const counter = counted.counter;
      const server = await adapter.start(
        {
          options: { clock, store: counted.store, ...serveOptions.options },
          ...(serveOptions.cookieFor ? { cookieFor: serveOptions.cookieFor } : {}),
        },
        handler,
      );
      onTestFinished(() => server.close());
      const isStore = counted.built === undefined;
      return {
        url: server.url,
        client: () => new Client(server.url),
        counter,
        io: () =>
          isStore
            ? counter.total()
            : counter.count('save') + counter.count('touch') + counter.count('destroy'),
        loads: () => counter.count(isStore ? 'load' : 'open'),
        writes: () =>
          ['create', 'update', 'save', 'touch', 'destroy'].reduce(
            (sum, method) => sum + counter.count(method),
            0,
          ),
        store: isStore ? (instance.store as SessionStore) : undefined,
        get backend() {
          return counted.built?.();
        },
        clock,
      };
    },
  };
}

/** True for a backend provider (the cookie engine), false for a server store. */
function isProvider(store: SessionStore | BackendProvider): store is BackendProvider {
  return typeof (store as Partial<BackendProvider>).createBackend === 'function';
}

/**
 * The storage with its calls counted: a server store wrapped as it is; a provider wrapped so that the
 * backend it builds is counted (`built` returns that backend, uncounted, once the manager built it).
 */
function countStorage(store: SessionStore | BackendProvider): {
  store: SessionStore | BackendProvider;
  counter: CallCounter;
  built?: () => SessionBackend | undefined;
} {
  if (!isProvider(store)) {
    const { wrapped, counter } = countCalls(store);
    return { store: wrapped, counter };
  }
  const counter = createCallCounter();
  let backend: SessionBackend | undefined;
  const provider: BackendProvider = {
    name: store.name,
    createBackend(settings) {
      backend = store.createBackend(settings);
      return countCalls(backend, counter).wrapped;
    },
  };
  return { store: provider, counter, built: () => backend };
}
