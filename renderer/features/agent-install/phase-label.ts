import { hasMessage, type Translate } from '../../app/i18n';

/** A phase id of an agent install or uninstall job, in words when we know it, else as sent. */
export function phaseLabel(t: Translate, id: string, kind = 'agent.install'): string {
  const key = `${kind === 'agent.uninstall' ? 'uninstall' : 'install'}.phase.${id}`;
  return hasMessage(key) ? t(key) : id;
}

/** Whether a job's phases are install/uninstall phase ids that {@link phaseLabel} knows. */
export function hasPhaseLabels(kind: string): boolean {
  return kind === 'agent.install' || kind === 'agent.uninstall';
}
