import type { HostPort } from './address.js';
import { netRequest } from './net-request.js';

/** A Redis reply (RESP2); error replies inside arrays are {@link RedisReplyError}s. */
export type RespValue = string | number | null | RedisReplyError | RespValue[];

export class RedisReplyError extends Error {}

const CRLF = '\r\n';

export function encodeCommand(args: readonly (string | number)[]): string {
  let out = `*${args.length}${CRLF}`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}${CRLF}${text}${CRLF}`;
  }
  return out;
}

/** Parses one reply at `offset`; undefined if more bytes are needed. */
export function parseReply(buf: Buffer, offset = 0): { value: RespValue; next: number } | undefined {
  const lineEnd = buf.indexOf(CRLF, offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[offset] ?? 0);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new RedisReplyError(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.next;
      }
      return { value: items, next: at };
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}

/** Sends one command on a fresh connection; rejects on an error reply. */
export async function redisCommand(
  target: HostPort,
  args: readonly (string | number)[],
  timeoutMs?: number,
): Promise<RespValue> {
  const value = await netRequest(target, encodeCommand(args), (buf) => parseReply(buf)?.value, timeoutMs);
  if (value instanceof RedisReplyError) throw value;
  return value;
}

/** Resolves if the server on `target` answers and is the process `pid` (`INFO server`'s process_id). */
export async function expectRedisProcess(target: HostPort, pid: number): Promise<void> {
  const info = parseInfo(await redisCommand(target, ['INFO', 'server'], 1_000));
  if (Number(info.process_id) !== pid)
    throw new Error(`port answered by process ${info.process_id}, not ${pid}`);
}

/** Parses `INFO`/`CLUSTER INFO` text into fields. */
export function parseInfo(text: RespValue): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of String(text).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}
