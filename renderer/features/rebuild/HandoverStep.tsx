import type { RebuildResult } from '../../../shared/contract/rebuild';
import { useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ReviewRows } from '../../components/wizard/ReviewRows';
import { StepHeading } from '../../components/wizard/StepHeading';
import { formatDuration } from '../../lib/format';
import { formatMoment } from '../../lib/zoned-time';
import type { RebuildWizard } from '../../stores/rebuild';
import { rebuildStore, useServers } from '../../stores';
import { downloadFile } from '../drills/pdf-download';
import { ChecksTable } from '../restore-wizard/ChecksTable';

/** What is always left to the admin; the console cannot do these from here. */
const LEFT_TO_ADMIN = ['connection', 'access', 'settings', 'kit'] as const;

function Verdict({ wizard }: { wizard: RebuildWizard }) {
  const t = useT();
  const { handover } = wizard;
  if (handover.status === 'failed') return <ErrorAlert error={handover.error} />;
  if (handover.status !== 'ready') {
    return (
      <p role="status" className="muted">
        {t('rebuild.handover.verifying')}
      </p>
    );
  }
  const valid = handover.file.verdict === 'valid';
  return (
    <Alert
      tone={valid ? 'success' : 'danger'}
      title={valid ? t('rebuild.handover.valid') : t('rebuild.handover.invalid')}
      data-testid="rebuild-handover-verdict"
    >
      <p>{t('rebuild.handover.signedBy', { principal: handover.file.principal })}</p>
      <div className="actions">
        <Button
          onClick={() => downloadFile(handover.file.file, 'application/zip')}
          data-testid="rebuild-handover-download"
        >
          {t('rebuild.handover.download')}
        </Button>
      </div>
    </Alert>
  );
}

function Facts({ result, zone }: { result: RebuildResult; zone: string }) {
  const t = useT();
  const lang = useLang();
  const host = useServers((s) => s.servers.find((x) => x.id === result.serverId));
  return (
    <ReviewRows
      testId="rebuild-handover-facts"
      rows={[
        {
          key: 'rto',
          label: t('rebuild.handover.rto'),
          value: <span data-testid="rebuild-rto">{formatDuration(result.rtoSeconds, lang)}</span>,
        },
        {
          key: 'rpo',
          label: t('rebuild.handover.rpo'),
          value: result.restoredUpTo
            ? formatMoment(result.restoredUpTo, lang, zone)
            : t('common.unknown'),
        },
        { key: 'backup', label: t('rebuild.plan.backup'), value: result.baseBackup },
        {
          key: 'cluster',
          label: t('rebuild.handover.cluster'),
          value: t('rebuild.handover.clusterValue', {
            host: host ? host.host : '',
            port: result.port,
            directory: result.dataDirectory,
          }),
        },
        {
          key: 'resumed',
          label: t('rebuild.handover.resumed'),
          value: result.resumed ? t('common.yes') : t('common.no'),
        },
      ]}
    />
  );
}

/** Step 6: measured RTO, data up to (RPO), what was verified, what is left, the signed report. */
export function HandoverStep({ wizard, zone }: { wizard: RebuildWizard; zone: string }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const { result } = wizard;
  const host = useServers((s) => s.servers.find((x) => x.id === result?.serverId));
  return (
    <div className="wizard-step" data-testid="rebuild-handover">
      <StepHeading>{t('rebuild.handover.title')}</StepHeading>
      {result ? (
        <>
          <Facts result={result} zone={zone} />
          <h3>{t('rebuild.handover.verified')}</h3>
          <ChecksTable checks={result.checks} detailLang="en" />
          <h3>{t('rebuild.handover.left')}</h3>
          <ul data-testid="rebuild-left-to-admin">
            {LEFT_TO_ADMIN.map((item) => (
              <li key={item}>
                {t(`rebuild.handover.left.${item}`, {
                  host: host?.host ?? '',
                  port: result.port,
                })}
              </li>
            ))}
          </ul>
          <Verdict wizard={wizard} />
          <div className="actions wizard-nav">
            <Button
              variant="primary"
              onClick={() => navigate({ name: 'dashboard', id: result.serverId })}
            >
              {t('rebuild.handover.toServer')}
            </Button>
            <Button onClick={() => rebuildStore.getState().reset()}>
              {t('rebuild.handover.again')}
            </Button>
          </div>
        </>
      ) : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </div>
  );
}
