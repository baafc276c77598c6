import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { formatDuration } from '../../lib/format';
import { formatMoment } from '../../lib/zoned-time';
import { coverageText, momentWithUtc } from './moment-text';
import { drawTimeline, LAYOUT, type DrawLabels } from './timeline-draw';
import {
  classify,
  defaultView,
  hitTest,
  timelineBounds,
  type CatalogIndex,
  type Hit,
} from './timeline-index';
import {
  clampView,
  keepVisible,
  keyStep,
  nearestPreset,
  panBy,
  span,
  toSecond,
  viewAround,
  wheelFactor,
  xToTime,
  ZOOM_FACTOR,
  ZOOM_PRESETS,
  zoomAt,
  type View,
} from './timeline-scale';

export interface TimelineProps {
  index: CatalogIndex;
  /** The moment "now" is drawn at (epoch ms). */
  now: number;
  zone: string;
  picked: number | null;
  onPick(time: number): void;
  /** Enter on the timeline: restore the picked moment. */
  onOpenWizard(): void;
}

/** Drag distance (CSS px) below which a press counts as a click that picks. */
const CLICK_SLOP = 4;

/**
 * The zoomable, pannable timeline: a canvas (one draw per animation frame, whatever the
 * catalog size) inside a keyboard-operable slider whose value is the picked moment.
 * Wheel or buttons zoom, dragging pans, a click picks a moment (or a recovery point on
 * its marker).
 */
export function Timeline({ index, now, zone, picked, onPick, onOpenWizard }: TimelineProps) {
  const t = useT();
  const lang = useLang();
  const helpId = useId();
  const bounds = useMemo(() => timelineBounds(index, now), [index, now]);
  const [view, setView] = useState<View>(() => defaultView(index, now));
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<Hit | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; view: View; moved: boolean } | null>(null);
  // The wheel listener is registered once; it reads the latest values from here.
  const latest = useRef({ bounds, width });
  latest.current = { bounds, width };

  // A pick from outside (typed moment, recovery point list) scrolls it into view.
  const [followed, setFollowed] = useState(picked);
  if (picked !== followed) {
    setFollowed(picked);
    if (picked !== null) setView(keepVisible(view, picked, bounds));
  }

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box) setWidth(Math.max(200, Math.floor(box.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Wheel zooms under the pointer; it must not scroll the page, so the listener is not passive.
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { bounds: b, width: w } = latest.current;
      const x = event.clientX - el.getBoundingClientRect().left;
      if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        setView((v) => panBy(v, w, -event.deltaX, b));
        return;
      }
      setView((v) => zoomAt(v, wheelFactor(event.deltaY, event.deltaMode), xToTime(v, w, x), b));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const labels = useMemo<DrawLabels>(() => {
    const lagSeconds =
      index.lastArchived === null ? null : Math.max(0, (index.builtAt - index.lastArchived) / 1000);
    return {
      now: t('timeline.now'),
      lag:
        lagSeconds === null
          ? null
          : t('timeline.lag', { duration: formatDuration(lagSeconds, lang) }),
      tier: {
        daily: t('timeline.tierShort.daily'),
        weekly: t('timeline.tierShort.weekly'),
        monthly: t('timeline.tierShort.monthly'),
      },
    };
  }, [index, t, lang]);

  // One draw per animation frame: several state changes within a frame draw once.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(width * ratio);
    const h = Math.round(LAYOUT.height * ratio);
    if (el.width !== w) el.width = w;
    if (el.height !== h) el.height = h;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    const frame = requestAnimationFrame(() =>
      drawTimeline(ctx, {
        index,
        view,
        width,
        height: LAYOUT.height,
        pixelRatio: ratio,
        now,
        picked,
        lang,
        zone,
        labels,
      }),
    );
    return () => cancelAnimationFrame(frame);
  }, [index, view, width, now, picked, lang, zone, labels]);

  const anchor = () =>
    picked !== null && picked >= view.start && picked <= view.end
      ? picked
      : view.start + span(view) / 2;

  function zoom(factor: number) {
    setView(zoomAt(view, factor, anchor(), bounds));
  }

  function pickAndShow(time: number) {
    const at = toSecond(Math.min(now, Math.max(bounds.start, time)));
    onPick(at);
    setView(keepVisible(view, at, bounds));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = keyStep(view);
    const from = picked ?? toSecond(view.start + span(view) / 2);
    const big = event.shiftKey ? 10 : 1;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowDown':
        pickAndShow(from - step * big);
        break;
      case 'ArrowRight':
      case 'ArrowUp':
        pickAndShow(from + step * big);
        break;
      case 'PageDown':
        pickAndShow(from - step * 10);
        break;
      case 'PageUp':
        pickAndShow(from + step * 10);
        break;
      case 'Home':
        pickAndShow(index.firstRestorable ?? index.earliest ?? bounds.start);
        break;
      case 'End':
        pickAndShow(index.lastRestorable ?? now);
        break;
      case '+':
      case '=':
        zoom(ZOOM_FACTOR);
        break;
      case '-':
      case '_':
        zoom(1 / ZOOM_FACTOR);
        break;
      case 'Enter':
        if (picked === null) return;
        onOpenWizard();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  const localX = (event: PointerEvent<HTMLElement>) =>
    event.clientX - event.currentTarget.getBoundingClientRect().left;
  const localY = (event: PointerEvent<HTMLElement>) =>
    event.clientY - event.currentTarget.getBoundingClientRect().top;

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, view, moved: false };
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d) {
      const markerRow = localY(event) >= LAYOUT.backups.top;
      setHover(markerRow ? hitTest(index, view, width, localX(event)) : null);
      return;
    }
    const dx = event.clientX - d.x;
    if (!d.moved && Math.abs(dx) < CLICK_SLOP) return;
    d.moved = true;
    setView(panBy(d.view, width, dx, bounds));
  }

  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    const x = localX(event);
    // On the marker rows a click near a recovery point picks exactly its moment.
    const hit = localY(event) >= LAYOUT.backups.top ? hitTest(index, view, width, x) : null;
    const at = hit ? hit.t : xToTime(view, width, x);
    onPick(toSecond(Math.min(now, Math.max(bounds.start, at))));
  }

  const valueText =
    picked === null
      ? t('timeline.nothingPicked')
      : `${momentWithUtc(picked, lang, zone)}: ${coverageText(t, classify(index, picked, now))}`;
  const preset = nearestPreset(view);

  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline__toolbar" role="group" aria-label={t('timeline.zoom')}>
        <Button onClick={() => zoom(1 / ZOOM_FACTOR)} aria-label={t('timeline.zoomOut')}>
          −
        </Button>
        <Button onClick={() => zoom(ZOOM_FACTOR)} aria-label={t('timeline.zoomIn')}>
          +
        </Button>
        {ZOOM_PRESETS.map((p) => (
          <Button
            key={p.id}
            variant="ghost"
            className="timeline__preset"
            aria-pressed={preset === p.id}
            data-testid={`zoom-${p.id}`}
            onClick={() => setView(viewAround(anchor(), p.span, bounds))}
          >
            {t(`timeline.preset.${p.id}`)}
          </Button>
        ))}
        <Button
          variant="ghost"
          onClick={() =>
            setView(
              clampView({ start: now - span(view) * 0.9, end: now + span(view) * 0.1 }, bounds),
            )
          }
        >
          {t('timeline.toNow')}
        </Button>
      </div>
      <p className="timeline__range muted" data-testid="timeline-range" data-span={span(view)}>
        {t('timeline.showing', {
          from: formatMoment(view.start, lang, zone),
          to: formatMoment(view.end, lang, zone),
        })}
      </p>
      <div
        ref={wrap}
        className="timeline__canvas-wrap"
        role="slider"
        tabIndex={0}
        aria-label={t('timeline.label')}
        aria-describedby={helpId}
        aria-valuemin={Math.round(bounds.start)}
        aria-valuemax={Math.round(bounds.end)}
        aria-valuenow={Math.round(
          Math.min(bounds.end, Math.max(bounds.start, picked ?? view.start + span(view) / 2)),
        )}
        aria-valuetext={valueText}
        data-testid="timeline-slider"
        data-picked={picked === null ? undefined : new Date(picked).toISOString()}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          drag.current = null;
        }}
        onPointerLeave={() => setHover(null)}
      >
        <canvas
          ref={canvas}
          className="timeline__canvas"
          aria-hidden="true"
          data-testid="timeline-canvas"
          style={{ width: `${width}px`, height: `${LAYOUT.height}px` }}
        />
      </div>
      <p className="timeline__hover muted" aria-hidden="true">
        {hover?.kind === 'backup'
          ? t('timeline.hover.backup', {
              label: hover.backup.label,
              tier: hover.backup.tier ? t(`tier.${hover.backup.tier}`) : t('common.unknown'),
              time: formatMoment(hover.t, lang, zone),
            }) + (hover.backup.drill ? ` · ${t(`points.drill.${hover.backup.drill.mark}`)}` : '')
          : hover?.kind === 'event'
            ? `${hover.event.title} · ${formatMoment(hover.t, lang, zone)}`
            : '\u00a0'}
      </p>
      <p id={helpId} className="field__hint timeline__help">
        {t('timeline.keys', { step: formatDuration(keyStep(view) / 1000, lang) })}
      </p>
    </div>
  );
}
