import { Client } from '@sess/http-test-suite';

/** One simulated browser of a soak, with what it observed. */
export interface Visitor {
  tag: string;
  client: Client;
  /** Requests this visitor sent. */
  sent: number;
  /** The `count` of its last answer. */
  count: number;
}

/** How many of `total` requests visitor `index` of `clients` sends. */
export const share = (total: number, clients: number, index: number): number =>
  Math.floor(total / clients) + (index < total % clients ? 1 : 0);

/**
 * Runs `clients` visitors at once against `url`, each sending its share of `total` `GET /count` requests one
 * after the other with its own cookies. Every answer must be a 200 carrying the visitor's own tag and the
 * next count; anything else is returned as a failure (never thrown, so one run reports them all).
 * `onVisitorDone` is called as each visitor sends its last request.
 */
export async function driveCounters(
  url: string,
  clients: number,
  total: number,
  label: string,
  onVisitorDone: (visitor: Visitor) => void = () => {},
): Promise<{ visitors: Visitor[]; failures: string[] }> {
  const failures: string[] = [];
  const visitors: Visitor[] = Array.from({ length: clients }, (_, index) => ({
    tag: `${label}-${index}`,
    client: new Client(url),
    sent: 0,
    count: 0,
  }));
  await Promise.all(
    visitors.map(async (visitor, index) => {
      for (let n = share(total, clients, index); n > 0; n--) {
        visitor.sent++;
        const response = await visitor.client.get(`/count?tag=${visitor.tag}`);
        if (response.status !== 200) {
          failures.push(`${visitor.tag} #${visitor.sent}: status ${response.status} ${response.body}`);
          continue;
        }
        const body = JSON.parse(response.body) as { count: number; tag: string };
        if (body.tag !== visitor.tag || body.count !== visitor.count + 1) {
          failures.push(`${visitor.tag} #${visitor.sent}: got ${response.body} after count ${visitor.count}`);
        }
        visitor.count = body.count;
      }
      onVisitorDone(visitor);
    }),
  );
  return { visitors, failures };
}

/** The session data `client` holds on the server, read through `GET /peek`. */
export async function peek(client: Client): Promise<Record<string, unknown>> {
  const response = await client.get('/peek');
  if (response.status !== 200) throw new Error(`/peek answered ${response.status}: ${response.body}`);
  return JSON.parse(response.body) as Record<string, unknown>;
}
