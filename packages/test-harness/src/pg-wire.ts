import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Where and as whom to connect; parsed from a `postgres://` URL. */
export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

export function parsePostgresUrl(url: string): PgTarget {
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username) || 'postgres';
  const target: PgTarget = {
    host: decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user,
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
  };
  if (parsed.password) target.password = decodeURIComponent(parsed.password);
  return target;
}

export function formatPostgresUrl(target: PgTarget): string {
  const auth =
    encodeURIComponent(target.user) + (target.password ? `:${encodeURIComponent(target.password)}` : '');
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `postgres://${auth}@${host}:${target.port}/${encodeURIComponent(target.database)}`;
}

export class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface Message {
  type: string;
  body: Buffer;
}

const cstring = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf8');

function frame(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

function errorFromBody(body: Buffer): PgError {
  const fields: Record<string, string> = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const end = body.indexOf(0, at + 1);
    fields[String.fromCharCode(body[at] ?? 0)] = body.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return new PgError(fields.M ?? 'PostgreSQL error', fields.C);
}

/** A minimal PostgreSQL frontend: startup (trust, password, md5, SCRAM-SHA-256), simple queries. No TLS. */
class PgConnection {
  #buffer = Buffer.alloc(0);
  #queue: Message[] = [];
  #waiter: ((m: Message | Error) => void) | undefined;
  #failure: Error | undefined;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 5) {
        const length = this.#buffer.readInt32BE(1);
        if (this.#buffer.length < length + 1) break;
        this.#push({
          type: String.fromCharCode(this.#buffer[0] ?? 0),
          body: this.#buffer.subarray(5, length + 1),
        });
        this.#buffer = this.#buffer.subarray(length + 1);
      }
    });
    const fail = (error: Error): void => {
      this.#failure ??= error;
      this.#waiter?.(this.#failure);
      this.#waiter = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  #push(message: Message): void {
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(message);
    } else this.#queue.push(message);
  }

  next(): Promise<Message> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiter = (m) => (m instanceof Error ? reject(m) : resolve(m));
    });
  }

  async startup(target: PgTarget): Promise<void> {
    const params = Buffer.concat([
      cstring('user'),
      cstring(target.user),
      cstring('database'),
      cstring(target.database),
      cstring('client_encoding'),
      cstring('UTF8'),
      Buffer.from([0]),
    ]);
    this.socket.write(Buffer.concat([int32(params.length + 8), int32(196608), params]));
    let scram: { bare: string; nonce: string; serverSignature?: Buffer } | undefined;
    for (;;) {
      const { type, body } = await this.next();
      if (type === 'E') throw errorFromBody(body);
      if (type === 'Z') return;
      if (type !== 'R') continue;
      const code = body.readInt32BE(0);
      const password = target.password ?? '';
      if (code === 0) continue;
      if (code === 3) {
        this.socket.write(frame('p', cstring(password)));
      } else if (code === 5) {
        const inner = createHash('md5')
          .update(password + target.user)
          .digest('hex');
        const outer = createHash('md5').update(inner).update(body.subarray(4, 8)).digest('hex');
        this.socket.write(frame('p', cstring(`md5${outer}`)));
      } else if (code === 10) {
        const nonce = randomBytes(18).toString('base64');
        const bare = `n=*,r=${nonce}`;
        const first = Buffer.from(`n,,${bare}`);
        this.socket.write(frame('p', cstring('SCRAM-SHA-256'), int32(first.length), first));
        scram = { bare, nonce };
      } else if (code === 11 && scram) {
        const serverFirst = body.toString('utf8', 4);
        const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
        if (!attrs.r?.startsWith(scram.nonce)) throw new Error('SCRAM: bad server nonce');
        const salted = pbkdf2Sync(
          password,
          Buffer.from(attrs.s ?? '', 'base64'),
          Number(attrs.i),
          32,
          'sha256',
        );
        const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
        const clientKey = hmac(salted, 'Client Key');
        const withoutProof = `c=biws,r=${attrs.r}`;
        const authMessage = `${scram.bare},${serverFirst},${withoutProof}`;
        const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
        const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
        scram.serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
        this.socket.write(frame('p', Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)));
      } else if (code === 12 && scram?.serverSignature) {
        const verifier = body.toString('utf8', 4).replace(/^v=/, '');
        if (verifier !== scram.serverSignature.toString('base64'))
          throw new Error('SCRAM: bad server signature');
      } else {
        throw new Error(`unsupported PostgreSQL authentication request ${code}`);
      }
    }
  }

  /** Simple query protocol; returns the text rows of the last result. */
  async query(sql: string): Promise<(string | null)[][]> {
    this.socket.write(frame('Q', cstring(sql)));
    let rows: (string | null)[][] = [];
    let error: PgError | undefined;
    for (;;) {
      const { type, body } = await this.next();
      if (type === 'T') rows = [];
      else if (type === 'D') {
        const row: (string | null)[] = [];
        let at = 2;
        for (let i = 0; i < body.readInt16BE(0); i++) {
          const length = body.readInt32BE(at);
          at += 4;
          row.push(length < 0 ? null : body.toString('utf8', at, at + length));
          if (length > 0) at += length;
        }
        rows.push(row);
      } else if (type === 'E') error ??= errorFromBody(body);
      else if (type === 'Z') {
        if (error) throw error;
        return rows;
      }
    }
  }
}

/** Connects, runs each statement in order (simple protocol), disconnects; returns the last rows. */
export async function pgQuery(
  target: PgTarget,
  statements: string | readonly string[],
  timeoutMs = 10_000,
): Promise<(string | null)[][]> {
  const socket = connect({ host: target.host, port: target.port });
  socket.setTimeout(timeoutMs, () =>
    socket.destroy(new Error(`no answer from ${target.host}:${target.port}`)),
  );
  const connection = new PgConnection(socket);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await connection.startup(target);
    let rows: (string | null)[][] = [];
    for (const sql of typeof statements === 'string' ? [statements] : statements)
      rows = await connection.query(sql);
    socket.end(frame('X'));
    return rows;
  } finally {
    socket.destroy();
  }
}

/** Quotes an identifier for SQL. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
