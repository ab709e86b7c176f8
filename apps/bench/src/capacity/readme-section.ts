/** The markers around the generated part of the README's "Capacity" section. */
export const CAPACITY_MARKERS = { start: '<!-- capacity -->', end: '<!-- /capacity -->' } as const;

/** What sits between the markers in `readme`, or undefined when they are missing. */
export function capacityBlock(readme: string): string | undefined {
  const start = readme.indexOf(CAPACITY_MARKERS.start);
  const end = readme.indexOf(CAPACITY_MARKERS.end);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + CAPACITY_MARKERS.start.length, end).trim();
}

/** `readme` with `tables` between the markers; throws when they are missing. */
export function withCapacityBlock(readme: string, tables: string): string {
  const start = readme.indexOf(CAPACITY_MARKERS.start);
  const end = readme.indexOf(CAPACITY_MARKERS.end);
  if (start < 0 || end < start) {
    throw new Error(`capacity: the README has no ${CAPACITY_MARKERS.start} … ${CAPACITY_MARKERS.end} block`);
  }
  return `${readme.slice(0, start + CAPACITY_MARKERS.start.length)}\n${tables}\n${readme.slice(end)}`;
}
