/** A TCP endpoint. */
export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port` (or `[v6]:port`). */
export function parseHostPort(text: string): HostPort {
  const trimmed = text.trim();
  const colon = trimmed.lastIndexOf(':');
  const port = Number(trimmed.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`expected host:port, got ${JSON.stringify(text)}`);
  }
  const host = trimmed.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

/** Parses a comma-separated list of `host:port`. */
export function parseHostPortList(text: string): HostPort[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseHostPort);
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
