import { readFileSync } from 'node:fs';

/** Reads a JSON fixture from `test/fixtures/`. */
export function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

/** fast-check runs per property: about 2,000, or `SESS_PROPERTY_RUNS` for a long run. */
export const PROPERTY_RUNS = Number(process.env.SESS_PROPERTY_RUNS) || 2000;
