/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Spread of the rounds: (max − min) / median, a fraction (0.04 = the rounds lie within 4 %). */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mid = median(values);
  return mid > 0 ? (Math.max(...values) - Math.min(...values)) / mid : 0;
}
