import type { IncomingMessage } from 'node:http';

/** A request the site refuses with a status of its own (bad body, too large, wrong type). */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The largest form body the site reads, bytes. Its forms are a few short fields. */
export const MAX_FORM_BYTES = 8 * 1024;

/**
 * Reads an `application/x-www-form-urlencoded` body. No body-parser: the forms are tiny, and
 * `URLSearchParams` does the decoding. Refuses other content types (415) and bodies over
 * {@link MAX_FORM_BYTES} (413).
 */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'Forms must be sent as application/x-www-form-urlencoded.');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_FORM_BYTES) throw new HttpError(413, 'The form is too large.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, 'The form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
