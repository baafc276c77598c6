import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import type { InstallWizard } from '../../stores/agent-install';
import { RecoveryKitCard } from './RecoveryKitCard';
import { StepHeading } from '../../components/wizard/StepHeading';

/** Step 5: capture runs; from here on the dashboard is the place to look. */
export function DoneStep({ server, wizard }: { server: Server; wizard: InstallWizard }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const d = wizard.draft;
  return (
    <div className="wizard-step">
      <StepHeading>{t('done.title')}</StepHeading>
      <Alert
        tone="success"
        title={t('done.lead', { name: server.name })}
        data-testid="install-done"
      >
        <ul className="alert__list">
          <li>{t('done.capture')}</li>
          <li>
            {d.snapshotIntervalMinutes.trim()
              ? t('done.every', { minutes: d.snapshotIntervalMinutes.trim() })
              : t('done.daily', { time: d.snapshotAt })}
          </li>
          <li>
            {t('done.retention', {
              daily: d.retention.daily,
              weekly: d.retention.weekly,
              monthly: d.retention.monthly,
            })}
          </li>
          <li>{t('done.alone')}</li>
        </ul>
      </Alert>
      <RecoveryKitCard serverId={server.id} />
      <div className="actions wizard-nav">
        <Button variant="primary" onClick={() => navigate({ name: 'dashboard', id: server.id })}>
          {t('done.dashboard')}
        </Button>
        <Button onClick={() => navigate({ name: 'server', id: server.id })}>
          {t('done.server')}
        </Button>
      </div>
    </div>
  );
}
