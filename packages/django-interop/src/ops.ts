/**
 * The operations the Python driver (`py/django_driver.py`) performs through Django's own classes, and
 * what each one answers. Field names are the driver's JSON: camelCase, Django's values as Django gives them.
 */

/** `django.VERSION`, e.g. `[3, 2, 25, 'final', 0]`. */
export type DjangoVersion = readonly [
  major: number,
  minor: number,
  micro: number,
  level: string,
  serial: number,
];

/** A session engine under `django.contrib.sessions.backends`. */
export type DjangoEngine = 'db' | 'file' | 'signed_cookies' | 'cache' | 'cached_db';

/**
 * The argument of Django's `set_expiry()`: whole seconds (`0` = at browser close), `null` (back to the
 * default), an aware datetime (ISO text, parsed by `datetime.fromisoformat`) or a timedelta in seconds.
 */
export type DjangoExpiry = number | null | { datetime: string } | { timedelta: number };

/** One step a view (or a `modify`) performs on `request.session`, by Django's method name. */
export type DjangoAction =
  | readonly ['set', string, unknown]
  | readonly ['delete', string]
  | readonly ['pop', string]
  | readonly ['update', Record<string, unknown>]
  | readonly ['clear']
  | readonly ['expiry', DjangoExpiry]
  | readonly ['flush']
  | readonly ['cycle_key']
  | readonly ['get', string]
  | readonly ['increment', string];

/** Picks the store class: the settings' `SESSION_ENGINE` unless `engine` is given, with an optional key salt. */
export interface StoreChoice {
  /** Another engine than `SESSION_ENGINE` for this op. */
  engine?: DjangoEngine;
  /** A `SessionStore` subclass whose `key_salt` is this (what a project's own subclass changes). */
  keySalt?: string;
}

/** Every operation the driver knows. */
export type DjangoOp =
  | { op: 'version' }
  | { op: 'migrate' }
  | { op: 'sqlmigrate' }
  | { op: 'indexName'; table: string; columns: readonly string[]; suffix?: string }
  | ({ op: 'create'; data: Record<string, unknown>; expiry?: DjangoExpiry } & StoreChoice)
  | ({ op: 'load'; key: string } & StoreChoice)
  | ({ op: 'modify'; key: string; actions: readonly DjangoAction[]; save?: boolean } & StoreChoice)
  | { op: 'request'; cookie?: string; actions: readonly DjangoAction[]; status?: number }
  | ({ op: 'encode'; data: Record<string, unknown>; time?: number } & StoreChoice)
  | ({ op: 'decode'; text: string } & StoreChoice)
  | { op: 'signingDumps'; value: unknown; salt: string; compress?: boolean; key?: string; time?: number }
  | { op: 'signingLoads'; text: string; salt: string; key?: string; maxAge?: number; fallbackKeys?: string[] }
  | ({ op: 'exists'; key: string } & StoreChoice)
  | ({ op: 'clearExpired' } & StoreChoice);

/** A value Django computed, or the exception it raised computing it (e.g. on an expiry it cannot read). */
export type DjangoAttempt<T> = T | { error: string; message: string };

/** What Django says about a session after the op. */
export interface DjangoSessionView {
  /** `session.session_key`: null when Django did not adopt the key (unknown, expired). */
  key: string | null;
  /** `dict(session.items())`. */
  data: Record<string, unknown>;
  modified: boolean;
  /** `get_expiry_age()`. */
  expiryAge: DjangoAttempt<number>;
  /** `get_expiry_date().isoformat()`. */
  expiryDate: DjangoAttempt<string>;
  /** `get_expire_at_browser_close()`. */
  expireAtBrowserClose: DjangoAttempt<boolean>;
}

/** One cookie of a response: its value and the attributes Django set (`max-age`, `expires`, `path`, ...). */
export interface DjangoCookie {
  value: string;
  [attribute: string]: string | number | boolean;
}

/** What one request through `SessionMiddleware` produced. */
export interface DjangoResponseView {
  status: number;
  cookies: Record<string, DjangoCookie>;
  vary: string | null;
  key: string | null;
  data: Record<string, unknown> | null;
  /** What the `get` actions read. */
  seen: Record<string, unknown>;
}

/** What each op answers on success. */
export interface DjangoOpResults {
  version: { version: DjangoVersion };
  migrate: Record<string, never>;
  sqlmigrate: { sql: string };
  indexName: { name: string };
  create: DjangoSessionView;
  load: DjangoSessionView;
  modify: DjangoSessionView & { seen: Record<string, unknown> };
  request: DjangoResponseView;
  encode: { text: string };
  decode: { data: Record<string, unknown> };
  signingDumps: { text: string };
  signingLoads: { value: unknown };
  exists: { exists: boolean };
  clearExpired: Record<string, never>;
}

/** A warning Django logged during the op (`django.security.SuspiciousSession`: "Session data corrupted"). */
export interface DjangoLog {
  logger: string;
  level: string;
  message: string;
}

/** An op that raised in Django: the Python exception class and message. */
export interface DjangoFailure {
  ok: false;
  error: string;
  message: string;
  logs: DjangoLog[];
}

/** The result of one op. */
export type DjangoResult<O extends DjangoOp = DjangoOp> =
  | (DjangoOpResults[O['op']] & { ok: true; logs: DjangoLog[] })
  | DjangoFailure;

/** The results of a batch, position by position. */
export type DjangoResults<Ops extends readonly DjangoOp[]> = {
  -readonly [I in keyof Ops]: DjangoResult<Ops[I]>;
};
