import type { Translate } from '../../app/i18n';
import type { Lang } from '../../lib/format';
import { formatMoment, formatUtc } from '../../lib/zoned-time';
import type { MomentCoverage } from './timeline-index';

/** What the catalog says about a moment, in words (the slider's value text and the panel). */
export function coverageText(t: Translate, coverage: MomentCoverage): string {
  switch (coverage.kind) {
    case 'covered':
      return t('timeline.coverage.covered', { backup: coverage.range.baseBackup });
    case 'gap':
      return t('timeline.coverage.gap', { cause: coverage.gap.cause });
    case 'before':
      return t('timeline.coverage.before');
    case 'notCaptured':
      return t('timeline.coverage.notCaptured');
    case 'future':
      return t('timeline.coverage.future');
    case 'uncovered':
      return t('timeline.coverage.uncovered');
  }
}

/** "26.11.2026, 14:23:05 MEZ (2026-11-26 13:23:05 UTC)". */
export function momentWithUtc(ms: number | string, lang: Lang, zone: string): string {
  return `${formatMoment(ms, lang, zone)} (${formatUtc(ms)})`;
}
