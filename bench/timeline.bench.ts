import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { repoRoot } from '../test/harness';
import { syntheticCatalog } from '../test/unit/renderer-fakes';
import { median, percentile, round } from './measure';
import type { BenchSuite } from './suites';

const SEGMENTS = 43_000;
const BACKUPS = 14;
/** The budget: a frame must stay well under this. */
const FRAME_BUDGET_MS = 100;
const CHROMIUM = process.env.KUMIKO_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The page side, bundled by esbuild from the renderer's own timeline modules (the code the
 * app draws with, not a copy). Each frame is the production draw call plus a 1-pixel
 * readback, which makes Chromium rasterise the canvas inside the timed span instead of later.
 */
const PAGE_ENTRY = `
import { buildIndex, timelineBounds } from './renderer/features/timeline/timeline-index';
import { drawTimeline, LAYOUT } from './renderer/features/timeline/timeline-draw';
import { DAY, MAX_SPAN, MIN_SPAN, panBy, span, viewAround, zoomAt } from './renderer/features/timeline/timeline-scale';

function run(catalog, options) {
  const t0 = performance.now();
  const index = buildIndex(catalog);
  const indexMs = performance.now() - t0;
  const now = Date.parse(catalog.builtAt);
  const bounds = timelineBounds(index, now);
  const width = options.width;
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.style.width = width + 'px';
  canvas.style.height = LAYOUT.height + 'px';
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(LAYOUT.height * ratio);
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d');
  const center = catalog.segmentTimes[Math.floor(catalog.segmentTimes.length * 0.6)];
  const views = [];
  // Zoom from three months to one minute around one moment, then back out ...
  let view = viewAround(center, MAX_SPAN, bounds);
  while (span(view) > MIN_SPAN) { views.push(view); view = zoomAt(view, 1.25, center, bounds); }
  for (let i = views.length - 1; i >= 0; i--) views.push(views[i]);
  // ... then drag across a day and across a month, 60 frames each.
  for (const s of [DAY, 30 * DAY]) {
    const start = viewAround(center, s, bounds);
    for (let i = 0; i < 60; i++) views.push(panBy(start, width, i * 12, bounds));
  }
  const frames = [];
  const labels = { now: 'now', lag: 'capture lag 42 s', tier: { daily: 'D', weekly: 'W', monthly: 'M' } };
  for (let i = 0; i < options.warmup + views.length; i++) {
    const v = views[Math.max(0, i - options.warmup)];
    const start = performance.now();
    drawTimeline(ctx, { index, view: v, width, height: LAYOUT.height, pixelRatio: ratio, now, picked: center, lang: 'en', zone: 'Europe/Berlin', labels });
    ctx.getImageData(0, 0, 1, 1);
    if (i >= options.warmup) frames.push(performance.now() - start);
  }
  const draws = performance.getEntriesByName('kumiko:timeline-draw').slice(options.warmup).map((e) => e.duration);
  return { indexMs, frames, draws, segments: index.segments.length, backups: index.backups.length };
}
window.runTimelineBench = run;
`;

/**
 * Timeline frame time: a synthetic 30-day catalog (43,000 WAL segments, 14 recovery points,
 * a gap, drills and an erasure) drawn by the renderer's timeline module in headless Chromium
 * at device pixel ratio 2, zooming from three months to one minute and panning. The limit is
 * the 100 ms frame budget; 16.7 ms is one frame at 60 Hz.
 */
export const timelineSuite: BenchSuite = {
  name: 'timeline',
  description: `timeline frame time, ${SEGMENTS} WAL segments + ${BACKUPS} recovery points, headless Chromium`,
  async run(log) {
    const bundle = await build({
      stdin: {
        contents: PAGE_ENTRY,
        resolveDir: repoRoot,
        loader: 'ts',
        sourcefile: 'bench-page.ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      minify: true,
      logLevel: 'warning',
    });
    const script = bundle.outputFiles[0]?.text ?? '';
    const catalog = syntheticCatalog({
      now: new Date().toISOString(),
      segments: SEGMENTS,
      backups: BACKUPS,
    });
    log(
      `catalog: ${catalog.segmentTimes.length} segments, ${catalog.backups.length} recovery points`,
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 400 },
        deviceScaleFactor: 2,
        timezoneId: 'Europe/Berlin',
      });
      const page = await context.newPage();
      await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
      await page.addScriptTag({ content: script });
      const result = (await page.evaluate(
        ([c, o]) =>
          (
            globalThis as unknown as {
              runTimelineBench(c: unknown, o: unknown): unknown;
            }
          ).runTimelineBench(c, o),
        [catalog, { width: 1200, warmup: 10 }] as const,
      )) as { indexMs: number; frames: number[]; draws: number[]; segments: number };
      const { frames, draws } = result;
      log(
        `${frames.length} frames: median ${median(frames).toFixed(2)} ms, p95 ${percentile(frames, 95).toFixed(2)} ms, max ${Math.max(...frames).toFixed(2)} ms (draw calls alone: median ${median(draws).toFixed(2)} ms)`,
      );
      const p95 = percentile(frames, 95);
      return {
        'pitr.timeline_frame_ms': round(p95, 2),
        'pitr.timeline_frame_median_ms': round(median(frames), 2),
        'pitr.timeline_frame_max_ms': round(Math.max(...frames), 2),
        'pitr.timeline_frame_vs_budget': round(p95 / FRAME_BUDGET_MS),
        'pitr.timeline_index_ms': round(result.indexMs, 2),
        'pitr.timeline_segments': result.segments,
      };
    } finally {
      await browser.close();
    }
  },
};
