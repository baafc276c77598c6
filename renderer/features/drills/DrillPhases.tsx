import type { Job } from '../../../shared/contract/domain';
import { DRILL_JOB_PHASES } from '../../../shared/contract/drill-phases';
import { useT } from '../../app/i18n';
import { PhaseList } from '../../components/PhaseList';
import { phaseList } from '../../stores/job-run';
import { drillPhaseLabel } from './drill-labels';

/** The drill's phases: done, current, to come. */
export function DrillPhases({ phases, job }: { phases: readonly string[]; job: Job | null }) {
  const t = useT();
  return (
    <PhaseList
      items={phaseList(phases, job, DRILL_JOB_PHASES)}
      label={(id) => drillPhaseLabel(t, id)}
      ariaLabel={t('drills.run.phases')}
      testId="drill-phases"
    />
  );
}
