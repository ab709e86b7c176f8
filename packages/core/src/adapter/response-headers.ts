import type { CommitResult } from '../request/commit-result.js';

/** The response headers of a framework, as the kit writes them. */
export interface HeaderSink {
  /** The current value of a header, or undefined (any case of `name`). */
  get(name: string): string | readonly string[] | number | undefined | null;
  /** Replaces a header. */
  set(name: string, value: string): void;
  /** Adds one more value of a header that may repeat (`Set-Cookie`). */
  append(name: string, value: string): void;
}

/**
 * Writes a commit's directives onto a response, before its headers go out: the `Set-Cookie` values (or
 * the key header with `tokenHeader`), `Cache-Control: no-store` on any response that sets or clears the
 * session's credential (so no cache hands it to another user), and the `Vary` field (merged with what
 * the response already varies on).
 */
export function applyCommit(result: CommitResult, sink: HeaderSink): void {
  const cookies = result.setCookie;
  // The first value is set when the response has none yet: Node's `appendHeader` would do just that, after
  // checking the value once more (about a microsecond per header).
  let absent = cookies.length > 0 && (sink.get('Set-Cookie') ?? undefined) === undefined;
  for (const value of cookies) {
    if (absent) sink.set('Set-Cookie', value);
    else sink.append('Set-Cookie', value);
    absent = false;
  }
  const headers = result.headers;
  if (headers) for (const [name, value] of headers) sink.set(name, value);
  if (cookies.length > 0 || (headers !== undefined && headers.length > 0))
    sink.set('Cache-Control', 'no-store');
  if (result.vary) {
    const field = result.varyHeader ?? 'Cookie';
    const merged = mergeVary(sink.get('Vary'), field);
    if (merged !== null) sink.set('Vary', merged);
  }
}

/** The `Vary` value with `field` added, or null when it already covers it (listed, or `*`). */
export function mergeVary(
  current: string | readonly string[] | number | undefined | null,
  field: string,
): string | null {
  if (current === undefined || current === null || current === '') return field;
  const list = (Array.isArray(current) ? current.join(',') : String(current))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const lower = field.toLowerCase();
  if (list.includes('*') || list.some((name) => name.toLowerCase() === lower)) return null;
  return [...list, field].join(', ');
}
