import { hasMessage, type Translate } from '../../app/i18n';
import { isRestoreJob } from '../../stores/restore-model';
import { restorePhaseLabel } from '../restore-wizard/restore-labels';

/** A phase id of an agent install, uninstall or restore job, in words when we know it, else as sent. */
export function phaseLabel(t: Translate, id: string, kind = 'agent.install'): string {
  if (isRestoreJob({ kind })) return restorePhaseLabel(t, id);
  const key = `${kind === 'agent.uninstall' ? 'uninstall' : 'install'}.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}

/** Whether a job's phases are install, uninstall or restore phase ids that {@link phaseLabel} knows. */
export function hasPhaseLabels(kind: string): boolean {
  return kind === 'agent.install' || kind === 'agent.uninstall' || isRestoreJob({ kind });
}
