export { createCookieBackend } from './cookie-backend.js';
export type { CookieBackendOptions, CookieMode } from './options.js';
