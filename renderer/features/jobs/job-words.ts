import type { Job } from '../../../shared/contract/domain';
import { hasMessage, type Translate } from '../../app/i18n';
import { hasPhaseLabels, phaseLabel } from '../agent-install/phase-label';

/**
 * A job's title from the catalog, `jobs.title.<kind>` with the server's name (main's title is
 * English). Main's title stays only for a kind the catalog does not know yet, or a job whose
 * server is gone; test/unit/i18n-jobs.test.ts keeps every kind main starts in the catalog.
 */
export function jobTitle(
  t: Translate,
  job: Pick<Job, 'kind' | 'title'>,
  serverName: string | null,
): string {
  const key = `jobs.title.${job.kind}`;
  return serverName !== null && hasMessage(key) ? t(key, { name: serverName }) : job.title;
}

/** A job's phase in words: the kind's own phase labels, else the common ones (`jobs.phase.<id>`). */
export function jobPhase(t: Translate, job: Pick<Job, 'kind' | 'phase'>): string | null {
  if (!job.phase) return null;
  if (job.phase !== 'done' && hasPhaseLabels(job.kind)) return phaseLabel(t, job.phase, job.kind);
  const key = `jobs.phase.${job.phase}`;
  return hasMessage(key) ? t(key) : job.phase;
}
