import { Client } from '@sess/http-test-suite';

/** One visitor of a fault test: a browser that keeps counting while servers die, with what it may see. */
export interface FaultVisitor {
  tag: string;
  client: Client;
  /** The count of the last successful answer: the next one must not be lower than this + 1. */
  low: number;
  /** The highest count a write may have left behind: each failed request may or may not have written. */
  high: number;
  /** May come back as a fresh, empty session (a memcached node that lost its items). */
  freshAllowed: boolean;
  /** Once set (`allowLateWrites`), the count may fall back to this + 1, never below. */
  floor: number | null;
  successes: number;
  errors: number;
  /** Times it came back fresh. */
  resets: number;
}

/** How a fault load runs. */
export interface FaultLoadOptions {
  /** A request with no answer after this long is a hang, a violation. */
  hangMs: number;
  /** The error codes a failed request may carry (the body of a 503). */
  allowedCodes: readonly string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cookieOf = (client: Client) => client.cookies.get('sessionid');

/**
 * Visitors that count in a loop (`GET /count`) while a test kills, freezes and restarts servers. Every
 * answer is checked against what the visitor may see: its own tag (never another session's data), a count
 * within [low + 1, high + 1] (never a lost or stale session; failed requests may or may not have written;
 * after `allowLateWrites`, from floor + 1),
 * a 503 with an allowed code and no cookie on failure, an answer within `hangMs`. What breaks the rules is
 * collected in `violations`, never thrown from the loop.
 */
export class FaultLoad {
  readonly visitors: FaultVisitor[];
  readonly violations: string[] = [];
  /** Failed requests by error code. */
  readonly errorCodes = new Map<string, number>();
  #running: Promise<void>[] = [];
  #stopped = false;

  constructor(
    readonly url: string,
    count: number,
    label: string,
    readonly options: FaultLoadOptions,
  ) {
    this.visitors = Array.from({ length: count }, (_, index) => ({
      tag: `${label}-${index}`,
      client: new Client(url),
      low: 0,
      high: 0,
      freshAllowed: false,
      floor: null,
      successes: 0,
      errors: 0,
      resets: 0,
    }));
  }

  /**
   * Every visitor starts its session (count 1), while the servers are healthy; a request that fails (a
   * loaded machine can push one past its timeout) is tried again, so every visitor holds a session after.
   */
  async open(): Promise<void> {
    await Promise.all(
      this.visitors.map(async (visitor) => {
        for (let attempt = 0; visitor.successes === 0 && attempt < 20; attempt++) await this.#visit(visitor);
        if (cookieOf(visitor.client) === undefined)
          this.violations.push(`${visitor.tag}: could not open a session`);
      }),
    );
    if (this.violations.length > 0) throw new Error(`opening failed: ${this.violations.join('; ')}`);
    for (const visitor of this.visitors) {
      visitor.errors = 0;
      visitor.high = visitor.low;
    }
    this.errorCodes.clear();
  }

  /** Starts the loops. */
  start(): void {
    this.#running = this.visitors.map(async (visitor) => {
      while (!this.#stopped) await this.#visit(visitor);
    });
  }

  /** Stops the loops, waiting for the requests in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
  }

  get errors(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.errors, 0);
  }

  get successes(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.successes, 0);
  }

  /** Waits until `done()` holds, polling; throws with `what` after `timeoutMs`. */
  async until(what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${this.report()}`);
      await sleep(20);
    }
  }

  /** Waits until every visitor has had `count` more successful answers than now. */
  async everyoneSucceeds(count: number, timeoutMs = 30_000): Promise<void> {
    const marks = this.visitors.map((visitor) => visitor.successes + count);
    await this.until(
      `every visitor to succeed ${count} more times`,
      () => this.visitors.every((visitor, index) => visitor.successes >= (marks[index] as number)),
      timeoutMs,
    );
  }

  /**
   * From now on, for the rest of the load, a visitor's count may fall back, but never below
   * `floors[i] + 1`: writes acknowledged after the floors were taken may be lost (a failover to a replica
   * that had not received them) or overwritten by a timed-out write the driver still delivered later (a
   * frozen server that resumes, a cluster client that retries after the failover).
   */
  allowLateWrites(floors: readonly number[]): void {
    this.visitors.forEach((visitor, index) => {
      visitor.floor = floors[index] ?? visitor.low;
    });
  }

  /** A one-line summary for failure messages and annotations. */
  report(): string {
    const codes = [...this.errorCodes].map(([code, n]) => `${code}×${n}`).join(', ') || 'none';
    return `${this.successes} answers, ${this.errors} errors (${codes}), ${this.violations.length} violations`;
  }

  async #visit(visitor: FaultVisitor): Promise<void> {
    const before = cookieOf(visitor.client);
    let response: Awaited<ReturnType<Client['request']>>;
    try {
      response = await visitor.client.request(`/count?tag=${visitor.tag}`, {
        signal: AbortSignal.timeout(this.options.hangMs),
      });
    } catch (error) {
      this.violations.push(`${visitor.tag}: no answer within ${this.options.hangMs} ms (${String(error)})`);
      await sleep(100);
      return;
    }
    if (response.status === 503) {
      const code = (JSON.parse(response.body) as { error: string }).error;
      this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
      if (!this.options.allowedCodes.includes(code)) this.violations.push(`${visitor.tag}: error ${code}`);
      if (response.setCookies.length > 0)
        this.violations.push(`${visitor.tag}: a cookie on a failed request`);
      visitor.errors++;
      visitor.high++;
      // A browser does not retry in a tight loop either.
      await sleep(25);
      return;
    }
    if (response.status !== 200) {
      this.violations.push(`${visitor.tag}: status ${response.status} ${response.body}`);
      return;
    }
    const body = JSON.parse(response.body) as { count: number; tag: string; fresh: boolean };
    if (body.tag !== visitor.tag) this.violations.push(`${visitor.tag}: saw the data of ${body.tag}`);
    if (body.fresh && visitor.low > 0) {
      if (!visitor.freshAllowed)
        this.violations.push(`${visitor.tag}: session lost after count ${visitor.low}`);
      else if (cookieOf(visitor.client) === before)
        this.violations.push(`${visitor.tag}: fresh under the old key`);
      visitor.resets++;
    } else if (body.count < (visitor.floor ?? visitor.low) + 1) {
      this.violations.push(`${visitor.tag}: stale count ${body.count} after ${visitor.low}`);
    } else if (body.count > visitor.high + 1) {
      this.violations.push(`${visitor.tag}: count ${body.count}, at most ${visitor.high + 1} possible`);
    }
    visitor.low = body.count;
    visitor.high = body.count;
    visitor.successes++;
  }
}

/**
 * Sessions ended before a fault, whose cookies must never work again: `logouts` logged out (`flush()`) and
 * `logins` whose key was cycled at login (`cycleKey()`). Returns the retired `Cookie` headers.
 */
export async function retireSessions(url: string, label: string, logouts = 3, logins = 3): Promise<string[]> {
  const retired: string[] = [];
  for (let i = 0; i < logouts + logins; i++) {
    const client = new Client(url);
    const opened = await client.get(`/count?tag=${label}-retired-${i}`);
    if (opened.status !== 200) throw new Error(`could not open a session to retire: ${opened.status}`);
    const old = client.cookieHeader as string;
    const ended = await client.request(i < logouts ? '/logout' : `/login?user=u${i}`, { method: 'POST' });
    if (ended.status !== 200) throw new Error(`could not retire a session: ${ended.status} ${ended.body}`);
    if (client.cookieHeader === old) throw new Error('the session kept its cookie');
    retired.push(old);
  }
  return retired;
}

/** The lowest count `visitor`'s stored session may hold now. */
export const lowestCount = (visitor: FaultVisitor): number =>
  Math.min(visitor.low, visitor.floor ?? visitor.low);

/** The key in a `sessionid=<key>` Cookie header. */
export const keyOfCookie = (header: string): string => header.slice(header.indexOf('=') + 1);
