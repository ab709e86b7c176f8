import { describe, expect, it } from 'vitest';
import { type Django, DjangoOpError, djangoAtLeast } from './django.js';
import { type ManagerLike, nodeRequest } from './node-request.js';

/** What the expiry cases do with a session (sess's `Session`, typed loosely here). */
export interface ExpirySessionLike {
  setExpiry(value: number | Date | null): unknown;
}

/** One engine's side of {@link describeExpiryReadByDjango}. */
export interface ExpiryReadByDjango<S extends ExpirySessionLike> {
  django: Django;
  /** `'3.2'` for Django 3.2: the form the store's `version` option takes. */
  version: string;
  /** The manager over the engine's Django-mode store for the Django in hand. */
  manager: ManagerLike<S>;
  /** A manager whose store writes for Django 5.2 (an ISO `_session_expiry`); made inside the test. */
  isoManager(): ManagerLike<S>;
  /** The session data as stored for `key`, decoded with the project's key by a raw read. */
  storedData(key: string): Promise<Record<string, unknown>>;
  /** What of Django < 4.1 an ISO expiry breaks, as the test title names it (`'middleware'`). */
  breaks: string;
}

/** The describe "expiry set by Node, read by Django": Node's `setExpiry` forms, as Django reads them. */
export function describeExpiryReadByDjango<S extends ExpirySessionLike>(engine: ExpiryReadByDjango<S>): void {
  const { django, version, manager, storedData } = engine;
  const readsIso = djangoAtLeast(django.version, 4, 1);

  describe('expiry set by Node, read by Django', () => {
    it('setExpiry(600): Django reads the age and its middleware sends Max-Age 600', async () => {
      const key = (await nodeRequest(manager, null, (session) => session.setExpiry(600))).cookieKey as string;
      expect(await django.loadSession(key)).toMatchObject({ data: { _session_expiry: 600 }, expiryAge: 600 });
      const response = await django.request(`sessionid=${key}`, [['set', 'touched', true]]);
      expect(response.cookies.sessionid?.['max-age']).toBe(600);
    });

    it('setExpiry(0): Django sends a browser-session cookie', async () => {
      const key = (await nodeRequest(manager, null, (session) => session.setExpiry(0))).cookieKey as string;
      expect(await django.loadSession(key)).toMatchObject({ expireAtBrowserClose: true });
      const response = await django.request(`sessionid=${key}`, [['set', 'touched', true]]);
      expect(response.cookies.sessionid?.value).toBe(key);
      expect(response.cookies.sessionid?.['max-age']).toBeUndefined();
    });

    it(`setExpiry(Date) with version '${version}': ${
      readsIso ? 'an ISO instant Django reads' : 'whole seconds from the save, which Django 3.2 reads'
    }`, async () => {
      const instant = Date.now() + 3_600_000;
      const before = Date.now();
      const key = (await nodeRequest(manager, null, (session) => session.setExpiry(new Date(instant))))
        .cookieKey as string;
      const stored = (await storedData(key))._session_expiry;
      if (readsIso) {
        expect(typeof stored).toBe('string');
        expect(Date.parse((await django.loadSession(key)).expiryDate as string)).toBe(instant);
      } else {
        expect(stored).toBeGreaterThanOrEqual(3599);
        expect(stored).toBeLessThanOrEqual(Math.ceil((instant - before) / 1000));
      }
      const response = await django.request(`sessionid=${key}`, [['set', 'touched', true]]);
      expect(Number(response.cookies.sessionid?.['max-age'])).toBeGreaterThan(3590);
      expect(Number(response.cookies.sessionid?.['max-age'])).toBeLessThanOrEqual(3600);
    });

    it(`why the version matters: an ISO expiry written for Django 5.2 ${
      readsIso
        ? `is read by Django ${version} as well`
        : `breaks Django ${version}'s ${engine.breaks} (TypeError)`
    }`, async () => {
      const isoManager = engine.isoManager();
      const key = (
        await nodeRequest(isoManager, null, (session) => session.setExpiry(new Date(Date.now() + 60_000)))
      ).cookieKey as string;
      expect(typeof (await storedData(key))._session_expiry).toBe('string');
      const attempt = django.request(`sessionid=${key}`, [['set', 'touched', true]]);
      if (readsIso) await expect(attempt).resolves.toMatchObject({ key });
      else await expect(attempt).rejects.toMatchObject({ constructor: DjangoOpError, type: 'TypeError' });
    });
  });
}
