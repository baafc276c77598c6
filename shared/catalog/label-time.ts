/**
 * pgBackRest labels carry the backup's start in the server's LOCAL time
 * (`20261126-173250F_20261127-023000I`: the full it builds on, then this backup). Reading one
 * needs the server's zone; without it the catalog assumes UTC and says so.
 */

const LABEL = /^(\d{8}-\d{6})F(?:_(\d{8}-\d{6})([DI]))?$/;

/** Type of a backup from its label's suffix: F full, D diff, I incr; null for no label. */
export function backupTypeFromLabel(label: string): 'full' | 'diff' | 'incr' | null {
  const m = LABEL.exec(label);
  if (!m) return null;
  if (m[3] === 'D') return 'diff';
  if (m[3] === 'I') return 'incr';
  return 'full';
}

/** True for a pgBackRest backup label. */
export function isBackupLabel(label: string): boolean {
  return LABEL.test(label);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function zoneOffset(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The start time (epoch ms) of the backup a label names, reading the label in `timeZone`.
 * Null when the text is not a label. In the hour a DST change repeats, the earlier is taken.
 */
export function labelStartMs(label: string, timeZone = 'UTC'): number | null {
  const m = LABEL.exec(label);
  if (!m) return null;
  const text = (m[2] ?? m[1]) as string;
  const n = (from: number, to: number) => Number(text.slice(from, to));
  const wall = Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(9, 11), n(11, 13), n(13, 15));
  if (timeZone === 'UTC') return wall;
  // Two passes: the offset at the first guess may differ from the offset at the answer.
  const first = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(first, timeZone);
}
