import { describe, expect, it, vi } from 'vitest';
import { DRILL_JOB_KIND, DRILL_JOB_PHASES } from '../../shared/contract/drill-phases';
import { AGENT_INSTALL_PHASES } from '../../shared/contract/install-phases';
import { POINT_JOB_KIND, POINT_JOB_PHASES } from '../../shared/contract/point-phases';
import { PRODUCTION_RESTORE_PHASES, RESTORE_PHASES } from '../../shared/contract/restore-phases';
import { translate, type MessageKey, type Params } from '../../renderer/app/i18n/translate';
import { jobPhase, jobTitle } from '../../renderer/features/jobs/job-words';
import type { Lang } from '../../renderer/lib/format';

// The jobs panel words a job's title and phase from the catalog by its kind (issue 16 item 1);
// main's English title is kept only where the catalog cannot help.

// The i18n module reads the browser's language when it loads.
vi.hoisted(() => Object.assign(globalThis, { navigator: { language: 'de-DE' } }));

const t = (lang: Lang) => (key: MessageKey, params?: Params) => translate(lang, key, params);

const PHASES: Record<string, readonly string[]> = {
  'server.detect': ['connect', 'detect', 'save'],
  'agent.install': AGENT_INSTALL_PHASES,
  [DRILL_JOB_KIND]: DRILL_JOB_PHASES,
  [POINT_JOB_KIND]: POINT_JOB_PHASES,
  'restore.start': RESTORE_PHASES,
  'restore.production': PRODUCTION_RESTORE_PHASES,
};

describe('job titles and phases in the jobs panel', () => {
  it('title a job in German with its server’s name', () => {
    expect(jobTitle(t('de'), { kind: 'server.detect', title: 'Connect to ERP' }, 'ERP')).toBe(
      'Mit ERP verbinden',
    );
  });

  it('keep main’s title for a job whose server is gone or whose kind is new', () => {
    expect(jobTitle(t('de'), { kind: 'drill.start', title: 'Restore drill on X' }, null)).toBe(
      'Restore drill on X',
    );
    expect(jobTitle(t('de'), { kind: 'some.new.kind', title: 'Export' }, 'ERP')).toBe('Export');
  });

  it('word every phase of every kind, and done, in both languages', () => {
    for (const [kind, phases] of Object.entries(PHASES)) {
      for (const phase of [...phases, 'done']) {
        for (const lang of ['de', 'en'] as const) {
          const words = jobPhase(t(lang), { kind, phase });
          expect(words, `${lang} ${kind} ${phase}`).not.toBe(phase);
        }
      }
    }
    expect(jobPhase(t('de'), { kind: 'server.detect', phase: 'connect' })).toBe(
      'Per SSH verbinden',
    );
  });
});
