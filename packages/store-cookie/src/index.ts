export { createCookieStore } from './cookie-store.js';
export type { CookieMode, CookieStoreOptions } from './options.js';
