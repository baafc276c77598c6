import { useEffect, useId } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useLang, useT, type Translate } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import type { Lang } from '../../lib/format';
import {
  MAX_KEEP_HOURS,
  parseKeepHours,
  toRestoreRequest,
  type DestinationDraft,
  type TargetDraft,
} from '../../stores/restore-model';
import { sameRequest } from '../../stores/job-run';
import { restoreStore, useServers } from '../../stores';
import { ConfirmCheck, useConfirmGate } from '../../components/wizard/ConfirmCheck';
import { PlanProgress } from '../../components/wizard/PlanProgress';
import { ReviewRows } from '../../components/wizard/ReviewRows';
import { StepHeading } from '../../components/wizard/StepHeading';
import type { RestoreStepProps } from './step-props';
import { WizardNav } from '../../components/wizard/WizardNav';
import { momentWithUtc } from '../timeline/moment-text';
import { PlanDetails } from './PlanDetails';
import { ErrorLine } from '../../components/ErrorLine';

function targetText(t: Translate, target: TargetDraft, lang: Lang, zone: string): string {
  switch (target.kind) {
    case 'time':
      return target.time === null ? '—' : momentWithUtc(target.time, lang, zone);
    case 'point':
      return t('restore.summary.point', { label: target.label ?? '—' });
    case 'latest':
      return t('restore.target.latest');
  }
}

function destinationText(
  t: Translate,
  destination: DestinationDraft,
  source: Server,
  servers: readonly Server[],
): string {
  if (destination.kind === 'scratch')
    return t('restore.destination.scratch', { name: source.name });
  const host = servers.find((s) => s.id === destination.serverId);
  return t('restore.summary.host', { name: host?.name ?? '—' });
}

/** Step 3: what the restore will do (restore.plan), how long to keep it, and an explicit confirm. */
export function SummaryStep({ server, wizard, zone }: RestoreStepProps) {
  const t = useT();
  const lang = useLang();
  const keepId = useId();
  const servers = useServers((s) => s.servers);
  const confirm = useConfirmGate();
  const store = restoreStore.getState();
  const { plan, run } = wizard;
  const request = toRestoreRequest(server.id, wizard.target, wizard.destination);
  const stale = plan.status === 'idle' || !sameRequest(plan.request, request);
  const keepHours = parseKeepHours(wizard.keepHours);

  useEffect(() => {
    if (stale) void restoreStore.getState().loadPlan(server.id);
  }, [stale, server.id]);

  const ready = plan.status === 'ready' && !stale ? plan.plan : null;

  function startNow() {
    if (!ready) return;
    if (keepHours === null) {
      document.getElementById(keepId)?.focus();
      return;
    }
    if (!confirm.passes(wizard.confirmed)) return;
    void store.start(server.id);
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('restore.summary.title')}</StepHeading>
      <p className="muted">{t('restore.summary.intro')}</p>
      <ReviewRows
        testId="restore-choices"
        rows={[
          {
            key: 'what',
            label: t('restore.summary.what'),
            value: targetText(t, wizard.target, lang, zone),
          },
          {
            key: 'where',
            label: t('restore.summary.where'),
            value: destinationText(t, wizard.destination, server, servers),
          },
        ]}
      />

      {plan.status === 'refused' && !stale ? (
        <Alert tone="danger" title={t('moment.refused')} data-testid="summary-refused">
          <ErrorLine error={plan.error} />
          <p>{t('restore.summary.refusedHelp')}</p>
        </Alert>
      ) : null}
      <PlanProgress
        loading={plan.status === 'loading' || stale}
        loadingText={t('restore.summary.loading')}
        error={plan.status === 'failed' && !stale ? plan.error : null}
        onRetry={() => void store.loadPlan(server.id)}
      />
      {ready ? <PlanDetails plan={ready} zone={zone} /> : null}

      {ready ? (
        <div className="card">
          <Field
            id={keepId}
            label={t('restore.summary.keepHours')}
            hint={t('restore.summary.keepHoursHint')}
            inputMode="numeric"
            className="field__input--short"
            value={wizard.keepHours}
            error={
              keepHours === null
                ? t('wizard.error.range', { min: 0, max: MAX_KEEP_HOURS })
                : undefined
            }
            onChange={(e) => store.setKeepHours(server.id, e.target.value)}
          />
          <ConfirmCheck
            gate={confirm}
            checked={wizard.confirmed}
            label={
              wizard.destination.kind === 'scratch'
                ? t('restore.summary.confirmScratch', { name: server.name })
                : t('restore.summary.confirmHost')
            }
            missingText={t('restore.summary.confirmMissing')}
            onChange={(checked) => store.setConfirmed(server.id, checked)}
          />
        </div>
      ) : null}

      <WizardNav
        run={run}
        onBack={() => store.goTo(server.id, 'destination')}
        onNext={startNow}
        nextLabel={t('restore.summary.start')}
        busyLabel={t('restore.summary.starting')}
        disabled={!ready}
        nextTestId="start-restore"
      />
    </div>
  );
}
