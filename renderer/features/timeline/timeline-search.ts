/**
 * Binary search over ascending numbers (segment archive times, marker times): the timeline
 * touches only what is visible, never all 43,000 segments of a month.
 */

/** The first index whose value is ≥ `value` (`values.length` when none is). */
export function lowerBound(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is > `value`. */
export function upperBound(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index range [from, to) of values inside [start, end]. */
export function visibleRange(
  values: ArrayLike<number>,
  start: number,
  end: number,
): { from: number; to: number } {
  const from = lowerBound(values, start);
  return { from, to: Math.max(from, upperBound(values, end)) };
}

/** The index of the value nearest to `value`, or -1 for an empty list. */
export function nearestIndex(values: ArrayLike<number>, value: number): number {
  if (values.length === 0) return -1;
  const i = lowerBound(values, value);
  if (i === 0) return 0;
  if (i === values.length) return values.length - 1;
  return value - (values[i - 1] as number) <= (values[i] as number) - value ? i - 1 : i;
}
