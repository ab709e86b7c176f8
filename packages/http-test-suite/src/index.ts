export { flipLastCharacter, isDeletion } from './adoption.js';
export { Client, type ClientResponse, parseSetCookie, type SetCookie } from './client.js';
export {
  memoryStorage,
  type ServeOptions,
  type SuiteContext,
  suiteContext,
  type TestServer,
} from './context.js';
export { type CallCounter, countCalls, createCallCounter } from './counting.js';
export { concerns, describeAdapter } from './describe-adapter.js';
export { createFailingStore, type FailureMode, type StoreOperation } from './failing-store.js';
export { standardRoutes } from './routes.js';
export type {
  AdapterSetup,
  AdapterUnderTest,
  HttpSuiteOptions,
  RunningServer,
  StorageContext,
  StorageInstance,
  StorageUnderTest,
  SuiteHandler,
  SuiteRequest,
  SuiteResponse,
} from './types.js';
