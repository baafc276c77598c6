import { useEffect } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { hasMessage, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { ApiError } from '../../lib/api-client';
import { splitAddresses } from '../../stores/agent-install-model';
import type { InstallWizard } from '../../stores/agent-install';
import { agentInstallStore } from '../../stores';
import { InstallScriptsView } from './InstallScriptsView';
import { PlanView } from './PlanView';
import { ConfirmCheck, useConfirmGate } from '../../components/wizard/ConfirmCheck';
import { PlanProgress } from '../../components/wizard/PlanProgress';
import { ReviewRows } from '../../components/wizard/ReviewRows';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';

/** An install or plan failure with a sentence on what to do about it, where we have one. */
export function InstallErrorAlert({ error }: { error: ApiError }) {
  const t = useT();
  const help = `install.errorHelp.${error.code}`;
  return (
    <>
      <ErrorAlert error={error} data-testid="install-error" />
      {hasMessage(help) ? <Alert tone="info">{t(help)}</Alert> : null}
    </>
  );
}

/** What the admin chose in step 2, to read once more before installing. */
function ChoicesView({ wizard }: { wizard: InstallWizard }) {
  const t = useT();
  const d = wizard.draft;
  const alerts = [
    d.email.enabled
      ? t('wizard.review.alertEmail', { to: splitAddresses(d.email.to).join(', ') })
      : '',
    d.webhook.url.trim()
      ? t('wizard.review.alertWebhook', { format: t(`wizard.alerts.format.${d.webhook.format}`) })
      : '',
    d.pushMonitorUrl.trim() ? t('wizard.review.alertPush') : '',
  ].filter(Boolean);
  return (
    <div className="card">
      <h3>{t('wizard.review.choices')}</h3>
      <ReviewRows
        rows={[
          {
            key: 'paths',
            label: t('wizard.paths.title'),
            value:
              d.attachedPaths.length === 0 ? (
                <span className="muted">{t('wizard.paths.empty')}</span>
              ) : (
                <span className="mono">{d.attachedPaths.join(', ')}</span>
              ),
          },
          {
            key: 'schedule',
            label: t('wizard.schedule.title'),
            value: d.snapshotIntervalMinutes.trim()
              ? t('wizard.review.every', { minutes: d.snapshotIntervalMinutes.trim() })
              : t('wizard.review.dailyAt', { time: d.snapshotAt }),
          },
          {
            key: 'retention',
            label: t('wizard.retention.title'),
            value: t('wizard.review.retention', {
              daily: d.retention.daily,
              weekly: d.retention.weekly,
              monthly: d.retention.monthly,
              days: d.retention.pitrDays,
            }),
          },
          {
            key: 'alerts',
            label: t('wizard.alerts.title'),
            value: alerts.length > 0 ? alerts.join('; ') : t('wizard.review.alertsNone'),
          },
        ]}
      />
    </div>
  );
}

/** Step 3: what will change on the server, the restart question, then Install. */
export function ReviewStep({ server, wizard }: { server: Server; wizard: InstallWizard }) {
  const t = useT();
  const confirm = useConfirmGate();
  const { plan, install } = wizard;
  const store = agentInstallStore.getState();

  useEffect(() => {
    if (plan.status === 'idle') void agentInstallStore.getState().loadPlan(server.id);
  }, [plan.status, server.id]);

  const ready = plan.status === 'ready' ? plan.plan : null;
  const restartRequired = ready?.restartRequired ?? false;

  function installNow() {
    if (!ready) return;
    if (restartRequired && !confirm.passes(wizard.confirmRestart)) return;
    void store.install(server.id);
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('wizard.review.title')}</StepHeading>
      <p className="muted">{t('wizard.review.intro')}</p>
      <PlanProgress
        loading={plan.status === 'loading' || plan.status === 'idle'}
        loadingText={t('wizard.review.loading')}
        error={plan.status === 'failed' ? plan.error : null}
        failure={(error) => <InstallErrorAlert error={error} />}
        onRetry={() => void store.loadPlan(server.id)}
      />
      {ready ? <PlanView plan={ready} /> : null}
      <ChoicesView wizard={wizard} />
      {ready ? <InstallScriptsView plan={ready} /> : null}

      {ready && restartRequired ? (
        <Alert
          tone="warning"
          title={t('wizard.review.restartTitle')}
          data-testid="restart-required"
        >
          <p>{t('wizard.review.restartText')}</p>
          <ConfirmCheck
            gate={confirm}
            checked={wizard.confirmRestart}
            label={t('wizard.review.confirmRestart')}
            missingText={t('wizard.review.confirmMissing')}
            onChange={(checked) => store.setConfirmRestart(server.id, checked)}
          />
        </Alert>
      ) : null}
      {ready && !restartRequired ? (
        <Alert tone="info" data-testid="no-restart">
          {t('wizard.review.noRestart')}
        </Alert>
      ) : null}

      <WizardNav
        run={install}
        refusal={(error) => <InstallErrorAlert error={error} />}
        onBack={() => store.goTo(server.id, 'cluster')}
        onNext={installNow}
        nextLabel={t('wizard.review.install')}
        busyLabel={t('wizard.review.installing')}
        disabled={!ready}
      />
    </div>
  );
}
