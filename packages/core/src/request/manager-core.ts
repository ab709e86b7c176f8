import type { Clock } from '../clock.js';
import type { CookieAttributeSettings } from '../manager/cookie-options.js';
import type { ResolvedPolicy } from '../manager/policy-options.js';
import type { SessionEvent } from '../manager/session-events.js';
import type { EventHandles, HandleDeriver } from '../manager/session-handles.js';
import type { ResolvedTokenHeader } from '../manager/token-header.js';
import type { StandardSchemaLike } from '../standard-schema.js';
import type { SessionBackend } from '../store/backend-contract.js';

/**
 * What every request of one manager shares: the validated settings, the bound backend, and the event and
 * handle helpers. Built once by the manager; read on each request's hot path.
 */
export interface ManagerCore {
  readonly backend: SessionBackend;
  readonly clock: Clock;
  readonly cookieName: string;
  /** SESSION_COOKIE_AGE, seconds. */
  readonly cookieAge: number;
  readonly cookie: CookieAttributeSettings;
  readonly expireAtBrowserClose: boolean;
  readonly saveEveryRequest: boolean;
  readonly schema: StandardSchemaLike | undefined;
  readonly tokenHeader: ResolvedTokenHeader | undefined;
  readonly policy: ResolvedPolicy;
  readonly handles: HandleDeriver;
  /** The handles events carry: null without a listener, so no event derives one for nothing. */
  readonly eventHandles: EventHandles;
  /** Calls the app's `onEvent`, if any. */
  emit(event: SessionEvent): void;
  /** True when the app listens to events (so none is built for nothing). */
  readonly listening: boolean;
}
