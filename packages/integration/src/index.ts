export {
  type App,
  type AppHandler,
  type AppOptions,
  type AppRequest,
  type AppResponse,
  FRAMEWORKS,
  type Framework,
  serveApp,
} from './apps.js';
export * from './engines/index.js';
export { type Gate, type GatedOperation, type GatedStore, gateStore } from './gate.js';
export { appRoutes, atPath } from './routes.js';
export { suiteStorage } from './suite-storage.js';
