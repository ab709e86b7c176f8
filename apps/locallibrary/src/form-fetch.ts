import { HttpError, MAX_FORM_BYTES } from './form.js';

/**
 * Reads an `application/x-www-form-urlencoded` body from a web-standard `Request` (the Hono app), with
 * the same rules as `readForm`: other content types are refused (415), bodies over
 * {@link MAX_FORM_BYTES} too (413), counted as they arrive.
 */
export async function readFetchForm(request: Request): Promise<URLSearchParams> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'Forms must be sent as application/x-www-form-urlencoded.');
  }
  if (Number(request.headers.get('content-length') ?? 0) > MAX_FORM_BYTES) {
    throw new HttpError(413, 'The form is too large.');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_FORM_BYTES) throw new HttpError(413, 'The form is too large.');
      chunks.push(chunk);
    }
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
