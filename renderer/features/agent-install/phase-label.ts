import { hasMessage, type Translate } from '../../app/i18n';
import { DRILL_JOB_KIND } from '../../../shared/contract/drill-phases';
import { POINT_JOB_KIND } from '../../../shared/contract/point-phases';
import { isRestoreJob } from '../../stores/restore-model';
import { drillPhaseLabel } from '../drills/drill-labels';
import { rebuildPhaseLabel } from '../rebuild/rebuild-labels';
import { productionPhaseLabel, restorePhaseLabel } from '../restore-wizard/restore-labels';

/** A phase id of an agent install, uninstall, restore or drill job, in words when we know it, else as sent. */
export function phaseLabel(t: Translate, id: string, kind = 'agent.install'): string {
  if (isRestoreJob({ kind })) return restorePhaseLabel(t, id);
  if (kind === 'restore.production') return productionPhaseLabel(t, id);
  if (kind === DRILL_JOB_KIND) return drillPhaseLabel(t, id);
  if (kind === 'rebuild.start') return rebuildPhaseLabel(t, id);
  if (kind === POINT_JOB_KIND) {
    const key = `point.phase.${id}`;
    return hasMessage(key) ? t(key) : id;
  }
  const family =
    kind === 'agent.uninstall' ? 'uninstall' : kind === 'agent.update' ? 'update' : 'install';
  const key = `${family}.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}

/** Whether a job's phases are install, uninstall, restore or drill phase ids that {@link phaseLabel} knows. */
export function hasPhaseLabels(kind: string): boolean {
  return (
    kind === 'agent.install' ||
    kind === 'agent.uninstall' ||
    kind === 'agent.update' ||
    kind === DRILL_JOB_KIND ||
    kind === POINT_JOB_KIND ||
    kind === 'restore.production' ||
    kind === 'rebuild.start' ||
    isRestoreJob({ kind })
  );
}
