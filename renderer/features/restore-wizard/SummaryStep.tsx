import { useEffect, useId, useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useLang, useT, type Translate } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import type { Lang } from '../../lib/format';
import type { RestoreWizard } from '../../stores/restore';
import {
  MAX_KEEP_HOURS,
  parseKeepHours,
  sameRequest,
  toRestoreRequest,
  type DestinationDraft,
  type TargetDraft,
} from '../../stores/restore-model';
import { restoreStore, useServers } from '../../stores';
import { StepHeading } from '../agent-install/StepHeading';
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
export function SummaryStep({
  server,
  wizard,
  zone,
}: {
  server: Server;
  wizard: RestoreWizard;
  zone: string;
}) {
  const t = useT();
  const lang = useLang();
  const confirmId = useId();
  const keepId = useId();
  const servers = useServers((s) => s.servers);
  const [missingConfirm, setMissingConfirm] = useState(false);
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
    if (!wizard.confirmed) {
      setMissingConfirm(true);
      document.getElementById(confirmId)?.focus();
      return;
    }
    void store.start(server.id);
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('restore.summary.title')}</StepHeading>
      <p className="muted">{t('restore.summary.intro')}</p>
      <dl className="facts" data-testid="restore-choices">
        <dt>{t('restore.summary.what')}</dt>
        <dd>{targetText(t, wizard.target, lang, zone)}</dd>
        <dt>{t('restore.summary.where')}</dt>
        <dd>{destinationText(t, wizard.destination, server, servers)}</dd>
      </dl>

      {plan.status === 'loading' || stale ? (
        <p role="status" className="muted">
          {t('restore.summary.loading')}
        </p>
      ) : null}
      {plan.status === 'refused' && !stale ? (
        <Alert tone="danger" title={t('moment.refused')} data-testid="summary-refused">
          <ErrorLine error={plan.error} />
          <p>{t('restore.summary.refusedHelp')}</p>
        </Alert>
      ) : null}
      {plan.status === 'failed' && !stale ? (
        <>
          <ErrorAlert error={plan.error} />
          <div className="actions">
            <Button onClick={() => void store.loadPlan(server.id)}>
              {t('wizard.review.retry')}
            </Button>
          </div>
        </>
      ) : null}
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
          <label className="choice choice--strong" htmlFor={confirmId}>
            <input
              id={confirmId}
              type="checkbox"
              checked={wizard.confirmed}
              onChange={(e) => {
                store.setConfirmed(server.id, e.target.checked);
                if (e.target.checked) setMissingConfirm(false);
              }}
              aria-invalid={missingConfirm || undefined}
              aria-describedby={missingConfirm ? `${confirmId}-error` : undefined}
            />
            {wizard.destination.kind === 'scratch'
              ? t('restore.summary.confirmScratch', { name: server.name })
              : t('restore.summary.confirmHost')}
          </label>
          {missingConfirm ? (
            <p className="field__error" id={`${confirmId}-error`}>
              {t('restore.summary.confirmMissing')}
            </p>
          ) : null}
        </div>
      ) : null}

      {run.status === 'rejected' ? <ErrorAlert error={run.error} /> : null}

      <div className="actions wizard-nav">
        <Button onClick={() => store.goTo(server.id, 'destination')}>{t('wizard.back')}</Button>
        <Button
          variant="primary"
          busy={run.status === 'starting'}
          disabled={!ready}
          onClick={startNow}
          data-testid="start-restore"
        >
          {run.status === 'starting' ? t('restore.summary.starting') : t('restore.summary.start')}
        </Button>
      </div>
    </div>
  );
}
