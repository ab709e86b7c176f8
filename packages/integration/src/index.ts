export { type App, type AppOptions, serveApp, startApp } from './apps.js';
export * from './engines/index.js';
export {
  ADAPTER_NAMES,
  type AdapterName,
  type AppHandler,
  type AppRequest,
  type AppResponse,
  FRAMEWORKS,
  type Framework,
  type FrameworkEntry,
  frameworkEntry,
  majorsOf,
  NEWEST_FRAMEWORKS,
  newestOf,
} from './frameworks/index.js';
export { type Gate, type GatedOperation, type GatedStore, gateStore, type StoreCall } from './gate.js';
export { appRoutes, atPath } from './routes.js';
export { suiteStorage } from './suite-storage.js';
