import type { CatalogModel, Refusal } from './model';

const iso = (ms: number): string => new Date(ms).toISOString();

/** "capture lag 42 s" / "capture lag 3 min" from the catalog's lag. */
export function lagText(model: CatalogModel): string {
  const lag = model.catalog.captureLagSeconds;
  if (lag === null) return 'no WAL archived yet';
  return lag < 120 ? `capture lag ${lag} s` : `capture lag ${Math.round(lag / 60)} min`;
}

/**
 * Why no coverage range holds `ms`, in words an admin can act on: before the first backup,
 * inside a gap (which segment is missing, from when it is restorable again), in WAL that
 * retention expired, or newer than the newest archived WAL.
 */
export function refuseTime(
  model: CatalogModel,
  ms: number,
  timeline?: number,
): { text: string; why: Refusal } {
  const { catalog } = model;
  const at = iso(ms);
  const ranges = model.ranges.filter((r) => timeline === undefined || r.timeline === timeline);
  if (ranges.length === 0) {
    return timeline === undefined
      ? {
          text: `${at} is not restorable: no base backup with its WAL is in the bucket yet.`,
          why: { key: 'nothingYet' },
        }
      : {
          text: `${at} is not restorable on timeline ${timeline}.`,
          why: { key: 'notOnTimeline', params: { timeline } },
        };
  }
  const first = Math.min(...ranges.map((r) => r.fromMs));
  const last = Math.max(...ranges.map((r) => r.toMs));
  if (ms < first) {
    return {
      text: `${at} is before the first restorable moment ${iso(first)} (the end of the oldest restorable backup).`,
      why: { key: 'beforeFirst', params: { first } },
    };
  }
  const gap = catalog.gaps.find(
    (g) =>
      (timeline === undefined || g.timeline === timeline) &&
      Date.parse(g.from) < ms &&
      (g.to === null || ms < Date.parse(g.to)),
  );
  if (gap) {
    const again = gap.to ? `restorable again from ${gap.to}` : 'no later backup covers it yet';
    const params = {
      from: Date.parse(gap.from),
      segment: gap.missingSegment,
      ...(gap.to ? { again: Date.parse(gap.to) } : {}),
    };
    return {
      text: `${at} is inside a gap: ${gap.cause}. Moments after ${gap.from} are not restorable (${again}).`,
      why: { key: gap.to ? 'inGap' : 'inGapNoLater', params },
    };
  }
  if (ms > last) {
    const newest = model.wal.newestMs;
    const upTo = newest === null ? '' : ` (WAL is archived up to ${iso(newest)}`;
    return {
      text: `${at} is not captured yet${upTo}${upTo ? ', ' : ' ('}${lagText(model)}); restore "latest" to get everything captured so far.`,
      why: { key: 'notCaptured', params: { newest: newest ?? last } },
    };
  }
  const before = Math.max(...ranges.filter((r) => r.toMs < ms).map((r) => r.toMs));
  const after = Math.min(...ranges.filter((r) => r.fromMs > ms).map((r) => r.fromMs));
  return {
    text: `No WAL in the bucket reaches ${at}: older WAL is expired by retention, which keeps only each older backup's own WAL (or a backup there has no usable WAL). Restorable moments nearby end at ${iso(before)} and begin again at ${iso(after)}.`,
    why: { key: 'expired', params: { before, after } },
  };
}
