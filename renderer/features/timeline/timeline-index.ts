import type {
  Catalog,
  CatalogBackup,
  CatalogEvent,
  CatalogGap,
  CoverageRange,
} from '../../../shared/contract/recovery';
import { DAY, HOUR, MAX_SPAN, timeToX, type Bounds, type View } from './timeline-scale';
import { nearestIndex } from './timeline-search';

/**
 * A catalog turned into sorted epoch-ms arrays once, so every frame and every pick works with
 * binary search instead of parsing ISO strings.
 */

export interface TimeSpan<T> {
  from: number;
  /** Null: open-ended (a gap that lasts until now). */
  to: number | null;
  item: T;
}

export interface TimeMarker<T> {
  t: number;
  item: T;
}

export interface CatalogIndex {
  coverage: TimeSpan<CoverageRange>[];
  gaps: TimeSpan<CatalogGap>[];
  /** Backups placed at the moment they became consistent (stop, else start); ascending. */
  backups: TimeMarker<CatalogBackup>[];
  backupTimes: Float64Array;
  events: TimeMarker<CatalogEvent>[];
  eventTimes: Float64Array;
  /** Archive times of the WAL segments, ascending (the catalog's own array). */
  segments: readonly number[];
  builtAt: number;
  /** When the newest segment was archived: builtAt minus the capture lag. */
  lastArchived: number | null;
  firstRestorable: number | null;
  lastRestorable: number | null;
  /** The earliest time anything in the catalog refers to (null when it is empty). */
  earliest: number | null;
}

const parse = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

function byTime<T extends { t: number }>(a: T, b: T): number {
  return a.t - b.t;
}

export function buildIndex(catalog: Catalog): CatalogIndex {
  const coverage = catalog.coverage
    .map((item) => ({ from: parse(item.from) ?? 0, to: parse(item.to), item }))
    .sort((a, b) => a.from - b.from);
  const gaps = catalog.gaps
    .map((item) => ({ from: parse(item.from) ?? 0, to: parse(item.to), item }))
    .sort((a, b) => a.from - b.from);
  const backups: TimeMarker<CatalogBackup>[] = [];
  for (const item of catalog.backups) {
    const t = parse(item.timeStop) ?? parse(item.timeStart);
    if (t !== null) backups.push({ t, item });
  }
  backups.sort(byTime);
  const events = catalog.events.map((item) => ({ t: parse(item.at) ?? 0, item })).sort(byTime);
  const builtAt = parse(catalog.builtAt) ?? Date.now();
  const segments = catalog.segmentTimes;
  const firsts = [
    coverage[0]?.from,
    gaps[0]?.from,
    backups[0]?.t,
    events[0]?.t,
    segments.length > 0 ? segments[0] : undefined,
  ].filter((t): t is number => t !== undefined);
  return {
    coverage,
    gaps,
    backups,
    backupTimes: Float64Array.from(backups, (b) => b.t),
    events,
    eventTimes: Float64Array.from(events, (e) => e.t),
    segments,
    builtAt,
    lastArchived:
      catalog.captureLagSeconds === null ? null : builtAt - catalog.captureLagSeconds * 1000,
    firstRestorable: parse(catalog.firstRestorable),
    lastRestorable: parse(catalog.lastRestorable),
    earliest: firsts.length > 0 ? Math.min(...firsts) : null,
  };
}

/** What restoring a moment means, as far as the catalog alone can tell. */
export type MomentCoverage =
  | { kind: 'covered'; range: CoverageRange }
  | { kind: 'gap'; gap: CatalogGap }
  | { kind: 'before' }
  | { kind: 'notCaptured' }
  | { kind: 'future' }
  | { kind: 'uncovered' };

const inside = (span: TimeSpan<unknown>, t: number, openEnd: number) =>
  t >= span.from && t <= (span.to ?? openEnd);

/** Classifies moment `t`: restorable from a range, inside a gap, before the first backup … */
export function classify(index: CatalogIndex, t: number, now: number): MomentCoverage {
  if (t > now) return { kind: 'future' };
  // A gap wins over a range that (by the catalog's own rules) should not overlap it anyway.
  const gap = index.gaps.find((g) => inside(g, t, now));
  if (gap) return { kind: 'gap', gap: gap.item };
  const range = index.coverage.find((r) => inside(r, t, now));
  if (range) return { kind: 'covered', range: range.item };
  if (index.firstRestorable === null || t < index.firstRestorable) return { kind: 'before' };
  if (index.lastRestorable !== null && t > index.lastRestorable) return { kind: 'notCaptured' };
  return { kind: 'uncovered' };
}

/** What the pointer is over, for picking a recovery point or showing a drill or erasure. */
export type Hit =
  | { kind: 'backup'; t: number; backup: CatalogBackup }
  | { kind: 'event'; t: number; event: CatalogEvent };

/**
 * The marker nearest to x (CSS px) within `tolerance` px, backups before events when both
 * are in reach; null when none is.
 */
export function hitTest(
  index: CatalogIndex,
  view: View,
  width: number,
  x: number,
  tolerance = 6,
): Hit | null {
  const t = view.start + (x / width) * (view.end - view.start);
  const distance = (at: number) => Math.abs(timeToX(view, width, at) - x);
  const b = nearestIndex(index.backupTimes, t);
  const backup = b >= 0 ? index.backups[b] : undefined;
  if (backup && distance(backup.t) <= tolerance)
    return { kind: 'backup', t: backup.t, backup: backup.item };
  const e = nearestIndex(index.eventTimes, t);
  const event = e >= 0 ? index.events[e] : undefined;
  if (event && distance(event.t) <= tolerance)
    return { kind: 'event', t: event.t, event: event.item };
  return null;
}

/** How far the view may pan: from the earliest entry (or a month back) to now. */
export function timelineBounds(index: CatalogIndex, now: number): Bounds {
  const start = Math.min(index.earliest ?? now, now - 30 * DAY);
  return { start, end: now };
}

/**
 * The first view: from a little before the first restorable moment to a little after now,
 * at least an hour and at most three months wide.
 */
export function defaultView(index: CatalogIndex, now: number): View {
  const from = index.firstRestorable ?? index.earliest ?? now - DAY;
  const wanted = Math.min(MAX_SPAN, Math.max(HOUR, (now - from) * 1.1));
  const end = now + wanted * 0.04;
  return { start: end - wanted, end };
}
