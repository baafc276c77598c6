import type { Job } from '../../../shared/contract/domain';
import { DRILL_JOB_PHASES } from '../../../shared/contract/drill-phases';
import { useT } from '../../app/i18n';
import { phaseList, type PhaseStatus } from '../../stores/agent-install-model';
import { drillPhaseLabel } from './drill-labels';

const MARKS: Record<PhaseStatus, string> = {
  done: '✓',
  current: '…',
  failed: '✗',
  cancelled: '–',
  pending: '',
};

/** The drill's phases: done, current (with the agent's own done/total if it gave one), to come. */
export function DrillPhases({ phases, job }: { phases: readonly string[]; job: Job | null }) {
  const t = useT();
  const items = phaseList(phases, job, DRILL_JOB_PHASES);
  return (
    <ol className="phases" aria-label={t('drills.run.phases')} data-testid="drill-phases">
      {items.map((item) => (
        <li
          key={item.id}
          className={`phases__item phases__item--${item.status}`}
          data-status={item.status}
          data-phase={item.id}
          aria-current={item.status === 'current' ? 'step' : undefined}
        >
          <span className="phases__mark" aria-hidden="true">
            {MARKS[item.status]}
          </span>
          <span className="phases__label">{drillPhaseLabel(t, item.id)}</span>
          <span className="phases__state">{t(`install.phaseState.${item.status}`)}</span>
        </li>
      ))}
    </ol>
  );
}
