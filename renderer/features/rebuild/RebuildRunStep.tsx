import { useRef } from 'react';
import { REBUILD_PHASES } from '../../../shared/contract/rebuild';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RunStep } from '../../components/wizard/RunPanel';
import { useRunJob } from '../../components/wizard/use-run-job';
import type { RebuildWizard } from '../../stores/rebuild';
import { rebuildStore } from '../../stores';
import { rebuildPhaseLabel } from './rebuild-labels';

/** Asks before a running rebuild is cancelled: what is removed from the host, what stays. */
function CancelDialog() {
  const t = useT();
  const keepRef = useRef<HTMLButtonElement>(null);
  const store = rebuildStore.getState();
  return (
    <Dialog
      tone="danger"
      title={t('rebuild.cancel.title')}
      onCancel={() => store.keepRunning()}
      initialFocus={keepRef}
      data-testid="rebuild-cancel-dialog"
      actions={
        <>
          <Button ref={keepRef} onClick={() => store.keepRunning()}>
            {t('rebuild.cancel.keep')}
          </Button>
          <Button variant="danger" onClick={() => void store.cancel()}>
            {t('rebuild.cancel.confirm')}
          </Button>
        </>
      }
    >
      <p>{t('rebuild.cancel.body')}</p>
    </Dialog>
  );
}

/** Step 5: the rebuild live — phases, progress, ETA, cancel after a confirmation — or resume. */
export function RebuildRunStep({ wizard }: { wizard: RebuildWizard }) {
  const t = useT();
  const job = useRunJob(wizard.run);
  const store = rebuildStore.getState();
  const { run } = wizard;
  if (run.status === 'rejected' || run.status === 'starting' || run.status === 'idle') {
    return (
      <div className="wizard-step">
        {run.status === 'rejected' ? <ErrorAlert error={run.error} /> : null}
        <div className="actions wizard-nav">
          <Button onClick={() => store.goTo('plan')}>{t('rebuild.run.back')}</Button>
        </div>
      </div>
    );
  }
  return (
    <>
      <RunStep
        run={run}
        job={job}
        expected={REBUILD_PHASES}
        phaseLabel={(id) => rebuildPhaseLabel(t, id)}
        testIdPrefix="rebuild"
        onCancel={async () => store.askCancel()}
        onBack={() => store.goTo('plan')}
        texts={{
          title: t('rebuild.run.title'),
          intro: t('rebuild.run.intro'),
          phases: t('rebuild.run.phases'),
          progress: t('rebuild.run.progress'),
          cancel: t('rebuild.run.cancel'),
          failedAt: (phase) => t('rebuild.run.failedAt', { phase }),
          cancelledAt: (phase) => t('rebuild.run.cancelledAt', { phase }),
          failedHelp: <p>{t('rebuild.run.failedHelp')}</p>,
          cancelledHelp: <p>{t('rebuild.run.cancelledHelp')}</p>,
          back: t('rebuild.run.back'),
        }}
      >
        <div className="actions">
          <Button
            variant="primary"
            onClick={() => void store.resume(run.jobId)}
            data-testid="rebuild-resume"
          >
            {t('rebuild.unfinished.resume')}
          </Button>
        </div>
      </RunStep>
      {wizard.cancelAsked ? <CancelDialog /> : null}
    </>
  );
}
