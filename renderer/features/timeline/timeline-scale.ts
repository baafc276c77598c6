/**
 * The timeline's view: which span of time the canvas shows, how it maps to pixels, and how
 * zooming, panning and keyboard steps change it. Pure and DOM-free; times are epoch ms.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The narrowest view: one minute across the whole width, so single seconds are easy to hit. */
export const MIN_SPAN = MINUTE;
/** The widest view: three months. */
export const MAX_SPAN = 92 * DAY;

/** The visible span [start, end) in epoch ms. */
export interface View {
  start: number;
  end: number;
}

/** What the view may show: panning stops with the center inside [start, end]. */
export interface Bounds {
  start: number;
  end: number;
}

/** Zoom presets offered as buttons, widest first. */
export const ZOOM_PRESETS = [
  { id: '3m', span: 92 * DAY },
  { id: '1m', span: 30 * DAY },
  { id: '1w', span: 7 * DAY },
  { id: '1d', span: DAY },
  { id: '1h', span: HOUR },
  { id: '10min', span: 10 * MINUTE },
  { id: '1min', span: MINUTE },
] as const;
export type ZoomPresetId = (typeof ZOOM_PRESETS)[number]['id'];

/** Each zoom button or +/- key press halves or doubles the span. */
export const ZOOM_FACTOR = 2;

export const span = (view: View) => view.end - view.start;

/** The x position (CSS px from the left edge) of time `t` in a canvas `width` px wide. */
export function timeToX(view: View, width: number, t: number): number {
  return ((t - view.start) / span(view)) * width;
}

/** The time at x (CSS px from the left edge). */
export function xToTime(view: View, width: number, x: number): number {
  return view.start + (x / width) * span(view);
}

function clampSpan(s: number): number {
  return Math.min(MAX_SPAN, Math.max(MIN_SPAN, s));
}

/** A view of `s` ms centred on `center`, kept within the span limits and the bounds. */
export function viewAround(center: number, s: number, bounds: Bounds): View {
  const width = clampSpan(s);
  const c = Math.min(bounds.end, Math.max(bounds.start, center));
  return { start: c - width / 2, end: c + width / 2 };
}

/** The same view with its span and center moved back inside the limits. */
export function clampView(view: View, bounds: Bounds): View {
  const s = clampSpan(span(view));
  const center = Math.min(bounds.end, Math.max(bounds.start, view.start + span(view) / 2));
  return { start: center - s / 2, end: center + s / 2 };
}

/**
 * Zooms by `factor` (> 1 zooms in) keeping time `anchor` at the same pixel, as a wheel or
 * pinch under the pointer does. At the span limits the view stops changing.
 */
export function zoomAt(view: View, factor: number, anchor: number, bounds: Bounds): View {
  const next = clampSpan(span(view) / factor);
  const ratio = (anchor - view.start) / span(view);
  const start = anchor - ratio * next;
  return clampView({ start, end: start + next }, bounds);
}

/** Moves the view by `dx` CSS px (positive = drag to the right = earlier times). */
export function panBy(view: View, width: number, dx: number, bounds: Bounds): View {
  const dt = (dx / width) * span(view);
  return clampView({ start: view.start - dt, end: view.end - dt }, bounds);
}

/** The view scrolled just enough to show `t` with a margin, else unchanged. */
export function keepVisible(view: View, t: number, bounds: Bounds, margin = 0.05): View {
  const s = span(view);
  const lo = view.start + s * margin;
  const hi = view.end - s * margin;
  if (t >= lo && t <= hi) return view;
  const shift = t < lo ? t - lo : t - hi;
  return clampView({ start: view.start + shift, end: view.end + shift }, bounds);
}

/** Wheel delta (pixels, as browsers normalise it) to a zoom factor: about ×2 per notch pair. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-px * 0.0035);
}

/** Steps the arrow keys move the picked moment by, smallest first. */
const KEY_STEPS = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  DAY,
] as const;

/**
 * How far one arrow key press moves the picked moment: about a sixtieth of the visible
 * span, rounded down to a step a person reads easily (1 s at minute zoom, 1 min at hour
 * zoom, 1 day at 3 months).
 */
export function keyStep(view: View): number {
  const wanted = span(view) / 60;
  let step: number = KEY_STEPS[0];
  for (const s of KEY_STEPS) if (s <= wanted) step = s;
  return step;
}

/** The time rounded to whole seconds: restores are asked for to the second. */
export function toSecond(t: number): number {
  return Math.round(t / SECOND) * SECOND;
}

/** The preset whose span is closest to the view's (for aria-pressed on the preset buttons). */
export function nearestPreset(view: View): ZoomPresetId {
  const s = span(view);
  let best: (typeof ZOOM_PRESETS)[number] = ZOOM_PRESETS[0];
  for (const p of ZOOM_PRESETS) {
    if (Math.abs(Math.log(p.span / s)) < Math.abs(Math.log(best.span / s))) best = p;
  }
  return best.id;
}
