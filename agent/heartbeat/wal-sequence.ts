// Pure arithmetic on WAL segment names (TTTTTTTT XXXXXXXX YYYYYYYY: timeline, log, segment).

const SEGMENT = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/;

/** True for a plain segment name (not .history, .backup or .partial). */
export function isSegmentName(name: string): boolean {
  return SEGMENT.test(name);
}

/** A segment name's three parts as numbers; null for anything else. */
export function segmentParts(
  name: string,
): { timeline: number; log: number; segment: number } | null {
  const m = SEGMENT.exec(name);
  if (!m) return null;
  const [timeline, log, segment] = [m[1], m[2], m[3]].map((hex) => parseInt(hex as string, 16));
  return { timeline: timeline as number, log: log as number, segment: segment as number };
}

/** A segment name from its parts (each eight upper-case hex digits). */
export function segmentName(timeline: number, log: number, segment: number): string {
  return [timeline, log, segment]
    .map((n) => n.toString(16).toUpperCase().padStart(8, '0'))
    .join('');
}

/** Segments per 4 GB "log" unit; segment numbers wrap into the next log there. */
function segmentsPerLog(segmentSize: number): number {
  return 0x1_0000_0000 / segmentSize;
}

/** Position of a segment in the WAL stream, ignoring the timeline. */
export function segmentPosition(name: string, segmentSize: number): number {
  const m = SEGMENT.exec(name);
  if (!m) throw new Error(`not a WAL segment name: ${name}`);
  return parseInt(m[2] as string, 16) * segmentsPerLog(segmentSize) + parseInt(m[3] as string, 16);
}

/** A hole in the archived WAL: segments after `after` and before `before` are missing. */
export interface WalGap {
  after: string;
  before: string;
  missing: number;
}

/**
 * Holes in a set of segment names (positions; a timeline switch keeps the position going, so
 * the same position on two timelines counts once). `start`, when given, is a segment known to
 * be present that the sequence continues from.
 */
export function findGaps(
  names: readonly string[],
  segmentSize: number,
  start?: string,
): { gaps: WalGap[]; last: string | undefined } {
  const byPosition = new Map<number, string>();
  for (const name of names) {
    if (!isSegmentName(name)) continue;
    const pos = segmentPosition(name, segmentSize);
    const seen = byPosition.get(pos);
    if (seen === undefined || name > seen) byPosition.set(pos, name);
  }
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  const gaps: WalGap[] = [];
  let prevName = start;
  let prev = start === undefined ? undefined : segmentPosition(start, segmentSize);
  for (const pos of positions) {
    if (prev !== undefined && pos <= prev) continue;
    const name = byPosition.get(pos) as string;
    if (prev !== undefined && prevName !== undefined && pos > prev + 1) {
      gaps.push({ after: prevName, before: name, missing: pos - prev - 1 });
    }
    prev = pos;
    prevName = name;
  }
  return { gaps, last: prevName };
}
