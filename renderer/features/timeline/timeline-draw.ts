import type { Lang } from '../../lib/format';
import type { CatalogIndex } from './timeline-index';
import { span, timeToX, type View } from './timeline-scale';
import { visibleRange } from './timeline-search';
import { axisTicks, tickInterval, tickLabel } from './timeline-ticks';

/**
 * Paints the timeline on a 2D canvas: axis, coverage band, gaps, capture lag, WAL segments,
 * recovery points, drills and erasures, "now" and the picked moment. The work per frame
 * grows with what is visible and with the canvas width, never with the catalog's size: the
 * segments in view are found by binary search and, when more than a few share a pixel,
 * drawn as one density column per pixel.
 */

/** The part of CanvasRenderingContext2D the timeline uses (a recording fake in tests). */
export interface DrawContext {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: unknown;
  textBaseline: unknown;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  rect(x: number, y: number, w: number, h: number): void;
  closePath(): void;
  fill(): void;
  stroke(): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
  measureText(text: string): { width: number };
}

/** Rows of the canvas, in CSS px from the top. */
export const LAYOUT = {
  height: 180,
  axis: { top: 0, bottom: 22 },
  band: { top: 28, bottom: 60 },
  /** The capture lag's label, between the band and the segments. */
  lagLabel: { top: 62, bottom: 74 },
  segments: { top: 76, bottom: 100 },
  backups: { top: 106, bottom: 138 },
  events: { top: 146, bottom: 174 },
} as const;

/** Colours matching styles.css (canvas cannot read CSS variables cheaply every frame). */
export const PALETTE = {
  surface: '#ffffff',
  grid: '#e4e8ee',
  text: '#1c2330',
  muted: '#4f5b6d',
  coverage: '#b9dfc6',
  coverageEdge: '#1d6b3a',
  gap: '#b3261e',
  gapText: '#ffffff',
  lag: '#f2c46d',
  segment: '#3b6fb6',
  daily: '#6b8fc9',
  weekly: '#1f5fbf',
  monthly: '#123a75',
  drillOk: '#1d6b3a',
  drillFailed: '#b3261e',
  erasure: '#6a3d9a',
  neutral: '#7a8596',
  now: '#1c2330',
  picked: '#0b57d0',
} as const;

export interface DrawLabels {
  now: string;
  /** e.g. "lag 42 s"; null when the lag is unknown. */
  lag: string | null;
  /** One letter per tier, drawn under the recovery point markers. */
  tier: { daily: string; weekly: string; monthly: string };
}

export interface DrawInput {
  index: CatalogIndex;
  view: View;
  /** CSS px. */
  width: number;
  height: number;
  pixelRatio: number;
  now: number;
  picked: number | null;
  lang: Lang;
  zone: string;
  labels: DrawLabels;
}

/** The name of the User Timing measure taken around every frame (see the Performance API). */
export const DRAW_MEASURE = 'kumiko:timeline-draw';
const START_MARK = `${DRAW_MEASURE}:start`;
// Measures are kept for profilers and tests; a long session drops them in batches.
const KEEP_MEASURES = 2000;
let measured = 0;

/** Draws one frame, timed as a `kumiko:timeline-draw` performance measure. */
export function drawTimeline(ctx: DrawContext, input: DrawInput): void {
  const perf = typeof performance === 'undefined' ? null : performance;
  perf?.mark(START_MARK);
  try {
    paint(ctx, input);
  } finally {
    if (perf) {
      perf.measure(DRAW_MEASURE, START_MARK);
      perf.clearMarks(START_MARK);
      measured += 1;
      if (measured % KEEP_MEASURES === 0) perf.clearMeasures(DRAW_MEASURE);
    }
  }
}

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const BOLD_FONT = `600 ${FONT}`;
const SMALL_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

function paint(ctx: DrawContext, input: DrawInput): void {
  const { width, height, pixelRatio } = input;
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = PALETTE.surface;
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  drawAxis(ctx, input);
  drawCoverage(ctx, input);
  drawLag(ctx, input);
  drawSegments(ctx, input);
  drawBackups(ctx, input);
  drawEvents(ctx, input);
  drawNow(ctx, input);
  drawPicked(ctx, input);
}

/** x of t, clamped a little outside the canvas so huge values never reach the canvas API. */
function xOf(input: DrawInput, t: number): number {
  return Math.max(-10, Math.min(input.width + 10, timeToX(input.view, input.width, t)));
}

function drawAxis(ctx: DrawContext, input: DrawInput): void {
  const { view, width, height, lang, zone } = input;
  const interval = tickInterval(view, width);
  const ticks = axisTicks(view, width, zone);
  ctx.strokeStyle = PALETTE.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const tick of ticks) {
    const x = Math.round(xOf(input, tick.t)) + 0.5;
    ctx.moveTo(x, LAYOUT.axis.bottom - 4);
    ctx.lineTo(x, height);
  }
  ctx.stroke();
  ctx.fillStyle = PALETTE.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of ticks) {
    ctx.fillText(tickLabel(tick, interval, lang, zone), xOf(input, tick.t), LAYOUT.axis.top + 3);
  }
}

function drawCoverage(ctx: DrawContext, input: DrawInput): void {
  const { index, view, now } = input;
  const { top, bottom } = LAYOUT.band;
  for (const range of index.coverage) {
    const to = range.to ?? now;
    if (to < view.start || range.from > view.end) continue;
    const x0 = xOf(input, range.from);
    const w = Math.max(1, xOf(input, to) - x0);
    ctx.fillStyle = PALETTE.coverage;
    ctx.fillRect(x0, top, w, bottom - top);
    ctx.fillStyle = PALETTE.coverageEdge;
    ctx.fillRect(x0, top, w, 2);
  }
  ctx.font = SMALL_FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const gap of index.gaps) {
    const to = gap.to ?? now;
    if (to < view.start || gap.from > view.end) continue;
    const x0 = xOf(input, gap.from);
    // A gap of one segment is a fraction of a pixel at month zoom: never let it vanish.
    const w = Math.max(3, xOf(input, to) - x0);
    ctx.fillStyle = PALETTE.gap;
    ctx.fillRect(x0, top - 2, w, bottom - top + 4);
    if (w > 40) {
      ctx.fillStyle = PALETTE.gapText;
      ctx.fillText(gap.item.cause, Math.max(x0, 0) + 4, (top + bottom) / 2, w - 8);
    }
  }
  ctx.font = FONT;
}

function drawLag(ctx: DrawContext, input: DrawInput): void {
  const { index, view, now, labels } = input;
  if (index.lastArchived === null || labels.lag === null) return;
  if (now < view.start || index.lastArchived > view.end) return;
  const x0 = xOf(input, index.lastArchived);
  const x1 = xOf(input, now);
  const { top, bottom } = LAYOUT.band;
  ctx.fillStyle = PALETTE.lag;
  ctx.fillRect(x0, top, Math.max(2, x1 - x0), bottom - top);
  ctx.fillStyle = PALETTE.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.font = SMALL_FONT;
  const right = Math.min(input.width - 2, Math.max(x1 - 4, ctx.measureText(labels.lag).width + 2));
  ctx.fillText(labels.lag, right, LAYOUT.lagLabel.top);
  ctx.font = FONT;
}

/** Above this many segments per pixel column on average, ticks give way to a density strip. */
const TICKS_PER_PX = 1 / 3;

function drawSegments(ctx: DrawContext, input: DrawInput): void {
  const { index, view, width } = input;
  const { from, to } = visibleRange(index.segments, view.start, view.end);
  const count = to - from;
  if (count === 0) return;
  const { top, bottom } = LAYOUT.segments;
  const segments = index.segments;
  const scale = width / span(view);
  if (count <= width * TICKS_PER_PX) {
    ctx.strokeStyle = PALETTE.segment;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = from; i < to; i++) {
      const x = Math.round(((segments[i] as number) - view.start) * scale) + 0.5;
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
    }
    ctx.stroke();
    return;
  }
  // One column per CSS pixel, its height the share of the busiest column.
  const columns = new Uint32Array(Math.ceil(width) + 1);
  let busiest = 0;
  for (let i = from; i < to; i++) {
    const c = Math.floor(((segments[i] as number) - view.start) * scale);
    if (c < 0 || c >= columns.length) continue;
    const n = (columns[c] as number) + 1;
    columns[c] = n;
    if (n > busiest) busiest = n;
  }
  // Heights in whole pixels, and neighbouring columns of one height as one rectangle: a
  // steady archive rate (the usual case) then paints as a handful of rectangles.
  const full = bottom - top;
  ctx.fillStyle = PALETTE.segment;
  ctx.beginPath();
  let runStart = 0;
  let runHeight = 0;
  for (let c = 0; c <= columns.length; c++) {
    const n = c < columns.length ? (columns[c] as number) : 0;
    const h = n === 0 ? 0 : Math.max(2, Math.round((n / busiest) * full));
    if (h === runHeight) continue;
    if (runHeight > 0) ctx.rect(runStart, bottom - runHeight, c - runStart, runHeight);
    runStart = c;
    runHeight = h;
  }
  ctx.fill();
}

function drawBackups(ctx: DrawContext, input: DrawInput): void {
  const { index, view, labels } = input;
  const { top, bottom } = LAYOUT.backups;
  const mid = top + 11;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = SMALL_FONT;
  const { from, to } = visibleRange(index.backupTimes, view.start, view.end);
  for (let i = from; i < to; i++) {
    const marker = index.backups[i];
    if (!marker) continue;
    const x = xOf(input, marker.t);
    const tier = marker.item.tier;
    ctx.fillStyle = tier ? PALETTE[tier] : PALETTE.neutral;
    const r = tier === 'monthly' ? 9 : tier === 'weekly' ? 8 : 7;
    ctx.beginPath();
    ctx.moveTo(x, mid - r);
    ctx.lineTo(x + r, mid);
    ctx.lineTo(x, mid + r);
    ctx.lineTo(x - r, mid);
    ctx.closePath();
    ctx.fill();
    if (marker.item.drill?.mark === 'failed') {
      // Its last drill failed: a red rim, so a broken point never looks like the others.
      ctx.strokeStyle = PALETTE.drillFailed;
      ctx.lineWidth = 3;
      ctx.stroke();
    }
    if (tier) {
      ctx.fillStyle = PALETTE.text;
      ctx.fillText(labels.tier[tier], x, bottom - 12);
    }
  }
  ctx.font = FONT;
}

function drawEvents(ctx: DrawContext, input: DrawInput): void {
  const { index, view } = input;
  const { top, bottom } = LAYOUT.events;
  const mid = (top + bottom) / 2;
  const { from, to } = visibleRange(index.eventTimes, view.start, view.end);
  for (let i = from; i < to; i++) {
    const marker = index.events[i];
    if (!marker) continue;
    const x = xOf(input, marker.t);
    const { kind, ok } = marker.item;
    ctx.fillStyle =
      kind === 'erasure'
        ? PALETTE.erasure
        : ok === true
          ? PALETTE.drillOk
          : ok === false
            ? PALETTE.drillFailed
            : PALETTE.neutral;
    if (kind === 'erasure') {
      ctx.fillRect(x - 6, mid - 6, 12, 12);
    } else {
      // Drills: an upward triangle.
      ctx.beginPath();
      ctx.moveTo(x, mid - 8);
      ctx.lineTo(x + 8, mid + 6);
      ctx.lineTo(x - 8, mid + 6);
      ctx.closePath();
      ctx.fill();
    }
  }
}

function drawNow(ctx: DrawContext, input: DrawInput): void {
  const { view, now, height, labels } = input;
  if (now < view.start || now > view.end) return;
  const x = Math.round(xOf(input, now)) + 0.5;
  ctx.strokeStyle = PALETTE.now;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, LAYOUT.axis.bottom);
  ctx.lineTo(x, height);
  ctx.stroke();
  // Bottom left of the line: the axis labels above stay readable.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.font = BOLD_FONT;
  ctx.fillStyle = PALETTE.now;
  ctx.fillText(labels.now, Math.max(x - 4, ctx.measureText(labels.now).width + 2), height - 2);
  ctx.font = FONT;
}

function drawPicked(ctx: DrawContext, input: DrawInput): void {
  const { view, picked, height } = input;
  if (picked === null || picked < view.start || picked > view.end) return;
  const x = Math.round(xOf(input, picked)) + 0.5;
  ctx.strokeStyle = PALETTE.picked;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, LAYOUT.axis.bottom);
  ctx.lineTo(x, height);
  ctx.stroke();
  ctx.fillStyle = PALETTE.picked;
  ctx.beginPath();
  ctx.moveTo(x - 7, LAYOUT.axis.bottom - 2);
  ctx.lineTo(x + 7, LAYOUT.axis.bottom - 2);
  ctx.lineTo(x, LAYOUT.axis.bottom + 8);
  ctx.closePath();
  ctx.fill();
}
