/** A point of a sparkline, in SVG user units. */
export interface SparkPoint {
  x: number;
  y: number;
  value: number;
  /** Position in the values given (points skip missing values). */
  index: number;
}

/** An inline SVG sparkline: the path and its points. */
export interface Sparkline {
  path: string;
  points: SparkPoint[];
  max: number;
}

/**
 * Lays values out left to right (oldest first) on a scale from 0 to their maximum, so a
 * doubling looks like one. A missing value (a drill that never verified has no RTO) breaks
 * the line instead of being drawn as zero.
 */
export function sparkline(
  values: readonly (number | null)[],
  width: number,
  height: number,
  pad = 4,
): Sparkline {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(0, ...present);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => (max > 0 ? height - pad - (v / max) * (height - 2 * pad) : height - pad);
  const points: SparkPoint[] = [];
  let path = '';
  let pen = false;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      pen = false;
      return;
    }
    const point = { x: round(pad + i * step), y: round(y(value)), value, index: i };
    points.push(point);
    path += `${pen ? 'L' : 'M'}${point.x} ${point.y} `;
    pen = true;
  });
  return { path: path.trim(), points, max };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
