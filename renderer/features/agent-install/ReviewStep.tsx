import { useEffect, useId, useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { hasMessage, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { ApiError } from '../../lib/api-client';
import { splitAddresses } from '../../stores/agent-install-model';
import type { InstallWizard } from '../../stores/agent-install';
import { agentInstallStore } from '../../stores';
import { InstallScriptsView } from './InstallScriptsView';
import { PlanView } from './PlanView';
import { StepHeading } from './StepHeading';

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
      <dl className="facts">
        <dt>{t('wizard.paths.title')}</dt>
        <dd>
          {d.attachedPaths.length === 0 ? (
            <span className="muted">{t('wizard.paths.empty')}</span>
          ) : (
            <span className="mono">{d.attachedPaths.join(', ')}</span>
          )}
        </dd>
        <dt>{t('wizard.schedule.title')}</dt>
        <dd>
          {d.snapshotIntervalMinutes.trim()
            ? t('wizard.review.every', { minutes: d.snapshotIntervalMinutes.trim() })
            : t('wizard.review.dailyAt', { time: d.snapshotAt })}
        </dd>
        <dt>{t('wizard.retention.title')}</dt>
        <dd>
          {t('wizard.review.retention', {
            daily: d.retention.daily,
            weekly: d.retention.weekly,
            monthly: d.retention.monthly,
            days: d.retention.pitrDays,
          })}
        </dd>
        <dt>{t('wizard.alerts.title')}</dt>
        <dd>{alerts.length > 0 ? alerts.join('; ') : t('wizard.review.alertsNone')}</dd>
      </dl>
    </div>
  );
}

/** Step 3: what will change on the server, the restart question, then Install. */
export function ReviewStep({ server, wizard }: { server: Server; wizard: InstallWizard }) {
  const t = useT();
  const confirmId = useId();
  const [missingConfirm, setMissingConfirm] = useState(false);
  const { plan, install } = wizard;
  const store = agentInstallStore.getState();

  useEffect(() => {
    if (plan.status === 'idle') void agentInstallStore.getState().loadPlan(server.id);
  }, [plan.status, server.id]);

  const ready = plan.status === 'ready' ? plan.plan : null;
  const restartRequired = ready?.restartRequired ?? false;

  function installNow() {
    if (!ready) return;
    if (restartRequired && !wizard.confirmRestart) {
      setMissingConfirm(true);
      document.getElementById(confirmId)?.focus();
      return;
    }
    void store.install(server.id);
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('wizard.review.title')}</StepHeading>
      <p className="muted">{t('wizard.review.intro')}</p>
      {plan.status === 'loading' || plan.status === 'idle' ? (
        <p role="status" className="muted">
          {t('wizard.review.loading')}
        </p>
      ) : null}
      {plan.status === 'failed' ? (
        <>
          <InstallErrorAlert error={plan.error} />
          <div className="actions">
            <Button onClick={() => void store.loadPlan(server.id)}>
              {t('wizard.review.retry')}
            </Button>
          </div>
        </>
      ) : null}
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
          <label className="choice choice--strong" htmlFor={confirmId}>
            <input
              id={confirmId}
              type="checkbox"
              checked={wizard.confirmRestart}
              onChange={(e) => {
                store.setConfirmRestart(server.id, e.target.checked);
                if (e.target.checked) setMissingConfirm(false);
              }}
              aria-invalid={missingConfirm || undefined}
              aria-describedby={missingConfirm ? `${confirmId}-error` : undefined}
            />
            {t('wizard.review.confirmRestart')}
          </label>
          {missingConfirm ? (
            <p className="field__error" id={`${confirmId}-error`}>
              {t('wizard.review.confirmMissing')}
            </p>
          ) : null}
        </Alert>
      ) : null}
      {ready && !restartRequired ? (
        <Alert tone="info" data-testid="no-restart">
          {t('wizard.review.noRestart')}
        </Alert>
      ) : null}

      {install.status === 'rejected' ? <InstallErrorAlert error={install.error} /> : null}

      <div className="actions wizard-nav">
        <Button onClick={() => store.goTo(server.id, 'cluster')}>{t('wizard.back')}</Button>
        <Button
          variant="primary"
          busy={install.status === 'starting'}
          disabled={!ready}
          onClick={installNow}
        >
          {install.status === 'starting'
            ? t('wizard.review.installing')
            : t('wizard.review.install')}
        </Button>
      </div>
    </div>
  );
}
