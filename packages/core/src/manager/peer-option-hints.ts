/**
 * Options people bring from express-session, koa-session, @fastify/session and @hono/session, with what
 * sess does instead. Reported together, by every declaration that takes the manager's options, when one
 * of these names is given.
 */
export const PEER_OPTION_HINTS: Readonly<Record<string, string>> = Object.freeze({
  secret:
    'a server-side session needs no secret (its key is 165 random bits and the store decides what is valid); ' +
    'a cookie session takes its secrets in createCookieStore({ secretKey, secretKeyFallbacks })',
  name: 'use cookieName (Django: SESSION_COOKIE_NAME; default sessionid)',
  key: 'use cookieName (Django: SESSION_COOKIE_NAME; default sessionid)',
  cookie:
    'give the cookie attributes as flat options: cookieAge (seconds), cookieDomain, cookiePath, cookieSecure, ' +
    'cookieHttpOnly, cookieSameSite, cookiePartitioned, cookiePriority; per request: cookieFor(req)',
  maxAge: 'use cookieAge, in seconds as Django counts it (not milliseconds)',
  maxage: 'use cookieAge, in seconds as Django counts it (not milliseconds)',
  expires: "use cookieAge (seconds), or session.setExpiry(date) for one session's fixed instant",
  resave: 'sess never rewrites an unchanged session (resave: false); touchInterval refreshes its expiry',
  saveUninitialized: 'sess never stores an empty new session (saveUninitialized: false)',
  rolling:
    'use touchInterval (seconds): an unchanged session has its expiry refreshed and its cookie re-sent at most once per interval',
  renew: 'use touchInterval (seconds)',
  genid: 'keys are always 32 characters from the OS CSPRNG; there is no custom generator',
  idGenerator: 'keys are always 32 characters from the OS CSPRNG; there is no custom generator',
  generateId: 'keys are always 32 characters from the OS CSPRNG; there is no custom generator',
  proxy: "use cookieSecure: 'auto' and let the framework trust the proxy (app.set('trust proxy'), app.proxy)",
  unset: 'in sess, req.session = null (or ctx.session = null) destroys the session',
  httpOnly: 'use cookieHttpOnly',
  secure: "use cookieSecure (true, false or 'auto')",
  sameSite: 'use cookieSameSite',
  domain: 'use cookieDomain',
  path: 'use cookiePath',
  signed: 'a server-side key needs no signature; createCookieStore seals (or signs) cookie sessions',
  overwrite: 'sess always sends exactly one Set-Cookie per session cookie',
  autoCommit:
    'sess commits before the response goes out; to send it yourself first, call ctx.commitSession() (koa-session: manuallyCommit())',
  ContextStore: 'give a store with store: (createRedisStore, createDbStore, …)',
  externalKey: 'use tokenHeader to carry the key in a request header instead of the cookie',
  encode: 'the cookie format belongs to the cookie engine: createCookieStore',
  decode: 'the cookie format belongs to the cookie engine: createCookieStore',
  valid: 'use schema (a Standard Schema, e.g. zod): invalid data starts a fresh session',
  beforeSave:
    'sess has no save hook; onEvent reports created, rotated, destroyed, expired and rejected sessions',
  prefix: "the key prefix belongs to the engine: createRedisStore(client, { prefix: 'myapp:' })",
  algorithm: 'sess chooses its algorithms (random keys server-side, AES-256-GCM or HMAC-SHA256 for cookies)',
  cookiePrefix: 'use cookieName',
  duration: 'use cookieAge (idle timeout, seconds) and absoluteTimeout (seconds)',
});
