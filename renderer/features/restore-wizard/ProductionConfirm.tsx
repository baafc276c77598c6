import { useEffect, useRef } from 'react';
import type { Server } from '../../../shared/contract/domain';
import type { ProductionRestorePlan } from '../../../shared/contract/recovery';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { formatDuration, formatNumber } from '../../lib/format';
import type { ProductionRestore } from '../../stores/restore-production';
import { productionRestoreStore } from '../../stores';
import { momentWithUtc } from '../timeline/moment-text';
import { PlanDetails } from './PlanDetails';
import { ErrorLine } from '../../components/ErrorLine';

/** What a restore over production does, in the order it does it, and what it replaces. */
function WhatHappens({ plan, zone }: { plan: ProductionRestorePlan; zone: string }) {
  const t = useT();
  const lang = useLang();
  const moment = plan.targetTime
    ? momentWithUtc(plan.targetTime, lang, zone)
    : t('plan.stopsAtLatest');
  return (
    <>
      <h3 className="dialog__subtitle">{t('production.what')}</h3>
      <ol className="production__steps" data-testid="production-steps">
        <li>
          {t('production.step.snapshot', {
            duration: formatDuration(plan.safetySnapshotSeconds, lang),
          })}
        </li>
        <li>
          {t('production.step.stop', {
            port: plan.port ?? '?',
            duration: formatDuration(plan.downtimeSeconds, lang),
          })}
        </li>
        <li>{t('production.step.restore', { directory: plan.dataDirectory, moment })}</li>
        <li>{t('production.step.undo')}</li>
      </ol>
      <h3 className="dialog__subtitle">{t('production.replaced')}</h3>
      {plan.databases.length > 0 ? (
        <ul className="production__databases" data-testid="production-databases">
          {plan.databases.map((db) => (
            <li key={db.name}>
              <span className="mono">{db.name}</span>{' '}
              <span className="muted">
                {t('production.replacedRows', {
                  tables: formatNumber(db.tables, lang),
                  rows: formatNumber(db.rows, lang),
                })}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('production.replacedUnknown')}</p>
      )}
    </>
  );
}

/**
 * The dialog's first part: the plan (restore.production.plan) and the field for the name. The
 * start button (in the dialog's footer) stays disabled until the name matches exactly.
 */
export function ProductionConfirm({
  server,
  state,
  zone,
}: {
  server: Server;
  state: ProductionRestore;
  zone: string;
}) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const { plan, run, typed } = state;
  const ready = plan.status === 'ready' ? plan.plan : null;

  // The name field takes the focus once there is something to confirm.
  useEffect(() => {
    if (ready) input.current?.focus();
  }, [ready]);

  if (plan.status === 'idle' || plan.status === 'loading') {
    return (
      <p role="status" className="muted">
        {t('production.loading')}
      </p>
    );
  }
  if (plan.status === 'refused') {
    return (
      <Alert tone="danger" title={t('moment.refused')} data-testid="production-refused">
        <ErrorLine error={plan.error} />
        <p>{t('production.refusedHelp')}</p>
      </Alert>
    );
  }
  if (plan.status !== 'ready') return <ErrorAlert error={plan.error} />;

  const name = plan.plan.confirmName;
  const wrong = typed.length >= name.length && typed !== name;
  return (
    <div data-testid="production-plan" data-confirm-name={name}>
      <WhatHappens plan={plan.plan} zone={zone} />
      <h3 className="dialog__subtitle">{t('production.details')}</h3>
      <PlanDetails plan={plan.plan} zone={zone} showFiles={false} />
      <Field
        ref={input}
        label={t('production.typeLabel', { name })}
        hint={
          plan.plan.confirmSource === 'manifest'
            ? t('production.typeHintManifest')
            : t('production.typeHintServer')
        }
        error={wrong ? t('production.typeMismatch', { name }) : undefined}
        value={typed}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        disabled={run.status === 'starting'}
        onChange={(e) =>
          productionRestoreStore.getState().setConfirmText(server.id, e.target.value)
        }
        data-testid="production-confirm-input"
      />
      {run.status === 'rejected' ? <ErrorAlert error={run.error} /> : null}
    </div>
  );
}
