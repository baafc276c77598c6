import { describe, expect, it } from 'vitest';
import {
  DRAW_MEASURE,
  drawTimeline,
  LAYOUT,
  type DrawContext,
  type DrawInput,
} from '../../renderer/features/timeline/timeline-draw';
import {
  buildIndex,
  classify,
  defaultView,
  hitTest,
  timelineBounds,
} from '../../renderer/features/timeline/timeline-index';
import {
  clampView,
  DAY,
  HOUR,
  keepVisible,
  keyStep,
  MAX_SPAN,
  MIN_SPAN,
  MINUTE,
  nearestPreset,
  panBy,
  SECOND,
  span,
  timeToX,
  toSecond,
  viewAround,
  wheelFactor,
  xToTime,
  zoomAt,
  type View,
} from '../../renderer/features/timeline/timeline-scale';
import {
  lowerBound,
  nearestIndex,
  upperBound,
  visibleRange,
} from '../../renderer/features/timeline/timeline-search';
import {
  axisTicks,
  tickInterval,
  tickLabel,
} from '../../renderer/features/timeline/timeline-ticks';
import { wallTimeAt } from '../../renderer/lib/zoned-time';
import { NOW, syntheticCatalog } from './renderer-fakes';

const T0 = Date.parse('2026-11-26T12:00:00Z');
const WIDE: { start: number; end: number } = { start: T0 - 365 * DAY, end: T0 + DAY };

describe('timeline scale', () => {
  const view: View = { start: T0, end: T0 + HOUR };

  it('maps time to pixels and back', () => {
    expect(timeToX(view, 1200, T0)).toBe(0);
    expect(timeToX(view, 1200, T0 + HOUR)).toBe(1200);
    expect(timeToX(view, 1200, T0 + 30 * MINUTE)).toBe(600);
    for (const x of [0, 1, 333.5, 1199])
      expect(timeToX(view, 1200, xToTime(view, 1200, x))).toBeCloseTo(x, 6);
  });

  it('zooms around the anchor: the anchor stays at its pixel', () => {
    const anchor = T0 + 15 * MINUTE;
    const before = timeToX(view, 1000, anchor);
    const zoomed = zoomAt(view, 4, anchor, WIDE);
    expect(span(zoomed)).toBe(15 * MINUTE);
    expect(timeToX(zoomed, 1000, anchor)).toBeCloseTo(before, 6);
  });

  it('stops at one minute and at three months', () => {
    let v = view;
    for (let i = 0; i < 40; i++) v = zoomAt(v, 2, T0, WIDE);
    expect(span(v)).toBe(MIN_SPAN);
    for (let i = 0; i < 40; i++) v = zoomAt(v, 0.5, T0, WIDE);
    expect(span(v)).toBe(MAX_SPAN);
  });

  it('pans by pixels and keeps the center inside the bounds', () => {
    const moved = panBy(view, 1200, 600, WIDE);
    expect(moved.start).toBe(view.start - 30 * MINUTE);
    const bounds = { start: T0 - DAY, end: T0 };
    const clamped = panBy(view, 1200, -1_000_000, bounds);
    expect(clamped.start + span(clamped) / 2).toBe(bounds.end);
    expect(span(clamped)).toBe(HOUR);
    expect(
      clampView({ start: 0, end: 10 }, WIDE).end - clampView({ start: 0, end: 10 }, WIDE).start,
    ).toBe(MIN_SPAN);
  });

  it('scrolls just enough to show a moment', () => {
    expect(keepVisible(view, T0 + 10 * MINUTE, WIDE)).toBe(view);
    const later = keepVisible(view, T0 + 2 * HOUR, WIDE);
    expect(span(later)).toBe(HOUR);
    expect(later.end).toBeGreaterThan(T0 + 2 * HOUR);
    expect(later.start).toBeLessThan(T0 + 2 * HOUR);
  });

  it('builds views of a span around a center, and names the nearest preset', () => {
    expect(viewAround(T0, MINUTE, WIDE)).toEqual({
      start: T0 - 30 * SECOND,
      end: T0 + 30 * SECOND,
    });
    expect(nearestPreset(viewAround(T0, MINUTE, WIDE))).toBe('1min');
    expect(nearestPreset(viewAround(T0, 80 * DAY, WIDE))).toBe('3m');
    expect(nearestPreset(viewAround(T0, 50 * MINUTE, WIDE))).toBe('1h');
  });

  it('steps the keyboard by a readable amount for the zoom', () => {
    expect(keyStep(viewAround(T0, MINUTE, WIDE))).toBe(SECOND);
    expect(keyStep(viewAround(T0, HOUR, WIDE))).toBe(MINUTE);
    expect(keyStep(viewAround(T0, DAY, WIDE))).toBe(15 * MINUTE);
    expect(keyStep(viewAround(T0, 92 * DAY, WIDE))).toBe(DAY);
  });

  it('turns wheel deltas into zoom factors and rounds picks to the second', () => {
    expect(wheelFactor(-100)).toBeGreaterThan(1);
    expect(wheelFactor(100)).toBeLessThan(1);
    expect(wheelFactor(100) * wheelFactor(-100)).toBeCloseTo(1, 10);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48), 10);
    expect(toSecond(T0 + 1499)).toBe(T0 + 1000);
    expect(toSecond(T0 + 1500)).toBe(T0 + 2000);
  });
});

describe('timeline binary search', () => {
  const values = [1, 3, 3, 3, 7, 10, 15];
  const brute = (pred: (v: number) => boolean) => {
    const i = values.findIndex(pred);
    return i === -1 ? values.length : i;
  };

  it('finds lower and upper bounds like a linear scan', () => {
    for (let v = 0; v <= 16; v += 0.5) {
      expect(lowerBound(values, v), `lower ${v}`).toBe(brute((x) => x >= v));
      expect(upperBound(values, v), `upper ${v}`).toBe(brute((x) => x > v));
    }
    expect(lowerBound([], 5)).toBe(0);
  });

  it('gives the visible range and the nearest index', () => {
    expect(visibleRange(values, 3, 10)).toEqual({ from: 1, to: 6 });
    expect(visibleRange(values, 11, 14)).toEqual({ from: 6, to: 6 });
    expect(visibleRange(values, 20, 10)).toEqual({ from: 7, to: 7 });
    expect(nearestIndex(values, 8)).toBe(4);
    expect(nearestIndex(values, 9)).toBe(5);
    expect(nearestIndex(values, -5)).toBe(0);
    expect(nearestIndex(values, 99)).toBe(6);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it('finds the segments of a minute among 43,000 in a few steps', () => {
    const catalog = syntheticCatalog({ gap: false });
    const times = catalog.segmentTimes;
    const mid = times[20_000] as number;
    const { from, to } = visibleRange(times, mid - 30 * SECOND, mid + 30 * SECOND);
    expect(to - from).toBe(1);
    expect(times[from]).toBe(mid);
  });
});

describe('timeline catalog index', () => {
  const catalog = syntheticCatalog();
  const index = buildIndex(catalog);
  const now = Date.parse(NOW);

  it('sorts backups and events and keeps the restorable range and lag', () => {
    expect(index.backups).toHaveLength(14);
    expect([...index.backupTimes]).toEqual([...index.backupTimes].sort((a, b) => a - b));
    expect(index.events.map((e) => e.item.kind)).toEqual(['drill', 'erasure', 'drill']);
    expect(index.lastArchived).toBe(now - 42_000);
    expect(index.firstRestorable).toBe(Date.parse(catalog.firstRestorable as string));
    expect(index.earliest).toBe(catalog.segmentTimes[0]);
  });

  it('classifies moments: covered, gap, before, not yet captured, future', () => {
    const gap = catalog.gaps[0];
    const range = catalog.coverage[1];
    if (!gap || !range) throw new Error('synthetic catalog has a gap and two ranges');
    expect(classify(index, Date.parse(range.from) + HOUR, now)).toEqual({ kind: 'covered', range });
    expect(classify(index, Date.parse(gap.from) + MINUTE, now)).toEqual({ kind: 'gap', gap });
    expect(classify(index, (index.firstRestorable as number) - MINUTE, now).kind).toBe('before');
    expect(classify(index, now - 10 * SECOND, now).kind).toBe('notCaptured');
    expect(classify(index, now + SECOND, now).kind).toBe('future');
  });

  it('hits a recovery point marker within a few pixels, nothing beside it', () => {
    const backup = index.backups[5];
    if (!backup) throw new Error('no backup');
    const view = viewAround(backup.t, DAY, WIDE);
    const x = timeToX(view, 1000, backup.t);
    const hit = hitTest(index, view, 1000, x + 4);
    expect(hit?.kind).toBe('backup');
    expect(hit?.t).toBe(backup.t);
    expect(hitTest(index, view, 1000, x + 40)).toBeNull();
  });

  it('hits drill and erasure events', () => {
    const event = index.events[0];
    if (!event) throw new Error('no event');
    const view = viewAround(event.t, HOUR, WIDE);
    const hit = hitTest(index, view, 1000, timeToX(view, 1000, event.t) - 3);
    expect(hit).toMatchObject({ kind: 'event', event: { kind: 'drill' } });
  });

  it('opens on a view from before the first restorable moment to now', () => {
    const view = defaultView(index, now);
    expect(view.start).toBeLessThan(index.firstRestorable as number);
    expect(view.end).toBeGreaterThan(now);
    expect(span(view)).toBeLessThanOrEqual(MAX_SPAN);
    const bounds = timelineBounds(index, now);
    expect(bounds.start).toBeLessThanOrEqual(index.earliest as number);
    expect(bounds.end).toBe(now);
  });

  it('opens an empty catalog on the last hour', () => {
    const empty = buildIndex({
      ...catalog,
      backups: [],
      coverage: [],
      gaps: [],
      segmentTimes: [],
      events: [],
      firstRestorable: null,
      lastRestorable: null,
      captureLagSeconds: null,
    });
    expect(empty.earliest).toBeNull();
    expect(classify(empty, now - MINUTE, now).kind).toBe('before');
    expect(span(defaultView(empty, now))).toBeGreaterThanOrEqual(HOUR);
  });
});

describe('timeline axis ticks', () => {
  it('picks an interval that keeps labels apart', () => {
    expect(tickInterval({ start: T0, end: T0 + MINUTE }, 1000)).toBe(10 * SECOND);
    expect(tickInterval({ start: T0, end: T0 + DAY }, 1000)).toBe(3 * HOUR);
    expect(tickInterval({ start: T0, end: T0 + 92 * DAY }, 1000)).toBe(14 * DAY);
  });

  it('aligns ticks to local hours and midnights in the admin zone', () => {
    const zone = 'Europe/Berlin';
    const view = {
      start: Date.parse('2026-11-25T20:10:00Z'),
      end: Date.parse('2026-11-26T08:00:00Z'),
    };
    const ticks = axisTicks(view, 1000, zone);
    expect(ticks.length).toBeGreaterThan(3);
    for (const tick of ticks) {
      const wall = wallTimeAt(tick.t, zone);
      expect(wall.minute).toBe(0);
      expect(wall.hour % 2).toBe(0);
    }
    const midnight = ticks.find((t) => t.midnight);
    expect(midnight && new Date(midnight.t).toISOString()).toBe('2026-11-25T23:00:00.000Z');
    expect(tickLabel(midnight!, 2 * HOUR, 'de', zone)).toBe('26. Nov.');
    expect(tickLabel(ticks[ticks.length - 1]!, 2 * HOUR, 'en', zone)).toMatch(/^\d\d:00$/);
  });

  it('keeps local hours across the change to summer time', () => {
    const zone = 'Europe/Berlin';
    const view = {
      start: Date.parse('2026-03-28T22:00:00Z'),
      end: Date.parse('2026-03-29T06:00:00Z'),
    };
    const hours = axisTicks(view, 2000, zone).map((t) => wallTimeAt(t.t, zone).hour);
    expect(hours).toContain(0);
    expect(hours).not.toContain(2); // 02:00 does not exist that night
    expect(hours).toContain(3);
  });

  it('labels seconds at minute zoom', () => {
    const view = { start: T0, end: T0 + MINUTE };
    const [tick] = axisTicks(view, 1000, 'UTC');
    expect(tickLabel(tick!, 10 * SECOND, 'en', 'UTC')).toBe('12:00:00');
  });
});

/** A 2D context that only counts what is asked of it. */
function recordingContext() {
  const counts: Record<string, number> = {};
  const texts: string[] = [];
  const count = (name: string) => () => {
    counts[name] = (counts[name] ?? 0) + 1;
  };
  const ctx: DrawContext = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
    setTransform: count('setTransform'),
    clearRect: count('clearRect'),
    fillRect: count('fillRect'),
    beginPath: count('beginPath'),
    moveTo: count('moveTo'),
    lineTo: count('lineTo'),
    rect: count('rect'),
    closePath: count('closePath'),
    fill: count('fill'),
    stroke: count('stroke'),
    fillText: (text: string) => {
      texts.push(text);
      count('fillText')();
    },
    measureText: (text: string) => ({ width: text.length * 6 }),
  };
  return { ctx, counts, texts };
}

describe('timeline drawing', () => {
  const catalog = syntheticCatalog();
  const index = buildIndex(catalog);
  const now = Date.parse(NOW);
  const bounds = timelineBounds(index, now);
  const input = (view: View, width = 1200): DrawInput => ({
    index,
    view,
    width,
    height: LAYOUT.height,
    pixelRatio: 2,
    now,
    picked: now - HOUR,
    lang: 'en',
    zone: 'Europe/Berlin',
    labels: {
      now: 'now',
      lag: 'capture lag 42 s',
      tier: { daily: 'D', weekly: 'W', monthly: 'M' },
    },
  });

  it('draws a month of 43,000 segments as at most one column per pixel', () => {
    const { ctx, counts } = recordingContext();
    drawTimeline(ctx, input(viewAround(now - 15 * DAY, 31 * DAY, bounds)));
    // Density columns, merged where neighbours are equally high: bounded by the width, not by
    // the 43,000 segments.
    expect(counts.rect).toBeGreaterThan(0);
    expect(counts.rect).toBeLessThanOrEqual(1201);
    expect(counts.moveTo ?? 0).toBeLessThan(200);
  });

  it('draws an uneven archive rate as columns of different heights', () => {
    const uneven = syntheticCatalog({ gap: false, segments: 20_000 });
    // Twice as many segments in the second half (every minute gets a second one).
    const times = uneven.segmentTimes;
    const half = times.slice(10_000).map((t) => t + 30 * SECOND);
    const idx = buildIndex({ ...uneven, segmentTimes: [...times, ...half].sort((a, b) => a - b) });
    const { ctx, counts } = recordingContext();
    drawTimeline(ctx, {
      ...input(viewAround(times[10_000] as number, 20 * DAY, bounds)),
      index: idx,
    });
    expect(counts.rect).toBeGreaterThanOrEqual(2);
    expect(counts.rect).toBeLessThanOrEqual(1201);
  });

  it('draws single segment ticks at minute zoom', () => {
    const { ctx, counts } = recordingContext();
    const mid = catalog.segmentTimes[30_000] as number;
    drawTimeline(ctx, input(viewAround(mid + 10 * SECOND, 5 * MINUTE, bounds)));
    expect(counts.rect ?? 0).toBe(0);
    // 5 segment ticks, plus axis grid lines and the picked/now lines when visible.
    expect(counts.moveTo).toBeGreaterThanOrEqual(5);
    expect(counts.moveTo).toBeLessThan(40);
  });

  it('labels the gap, the lag, the tiers and now', () => {
    const { ctx, texts } = recordingContext();
    const gap = catalog.gaps[0]!;
    drawTimeline(ctx, input(viewAround(Date.parse(gap.from), HOUR, bounds)));
    expect(texts).toContain('segment missing from the bucket');
    const end = recordingContext();
    drawTimeline(end.ctx, input(viewAround(now - 2 * MINUTE, 10 * MINUTE, bounds)));
    expect(end.texts).toContain('now');
    expect(end.texts).toContain('capture lag 42 s');
    const month = recordingContext();
    drawTimeline(month.ctx, input(viewAround(now - 15 * DAY, 31 * DAY, bounds)));
    expect(month.texts.filter((t) => t === 'D')).toHaveLength(7);
    expect(month.texts.filter((t) => t === 'W')).toHaveLength(4);
  });

  // How long a frame takes is measured in bench/timeline.bench.ts (real Chromium, against the
  // 100 ms budget), not here: a timed unit test fails on a loaded machine and proves nothing
  // about the browser. This test checks that every frame is drawn and timed by the app itself.
  it('draws and measures every frame from 3 months to a minute with the Performance API', () => {
    const { ctx } = recordingContext();
    performance.clearMeasures(DRAW_MEASURE);
    const center = catalog.segmentTimes[21_000] as number;
    let view = viewAround(center, MAX_SPAN, bounds);
    const frames: View[] = [];
    while (span(view) > MIN_SPAN) {
      frames.push(view);
      view = zoomAt(view, 1.25, center, bounds);
    }
    for (let i = 0; i < 60; i++)
      frames.push(panBy(viewAround(center, DAY, bounds), 1200, i * 20, bounds));
    for (const v of frames) drawTimeline(ctx, input(v));
    const durations = performance.getEntriesByName(DRAW_MEASURE).map((e) => e.duration);
    expect(durations).toHaveLength(frames.length);
    for (const d of durations) expect(d).toBeGreaterThanOrEqual(0);
  });
});
