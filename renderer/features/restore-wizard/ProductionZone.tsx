import { useId } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { isTerminal } from '../../stores/jobs';
import type { RestoreWizard } from '../../stores/restore';
import { toRecoveryTarget } from '../../stores/restore-model';
import { isProductionJobOf } from '../../stores/restore-production';
import { productionRestoreStore, useJobs } from '../../stores';
import { ProductionRestoreDialog } from './ProductionRestoreDialog';

/**
 * The separate, explicit path that restores over production: a danger section under the
 * destination step (never a third choice beside scratch and another host), or, while such a
 * restore runs, a notice that leads back to it. Opens ProductionRestoreDialog.
 */
export function ProductionZone(props: { server: Server; wizard: RestoreWizard; zone: string }) {
  const { server, wizard, zone } = props;
  const t = useT();
  const headingId = useId();
  const running = useJobs((s) =>
    Object.values(s.jobs).some((j) => isProductionJobOf(j, server.id) && !isTerminal(j)),
  );
  const target = toRecoveryTarget(wizard.target);
  const open = () => void productionRestoreStore.getState().openProduction(server.id, target);

  return (
    <>
      {running ? (
        <Alert tone="danger" title={t('production.running')} data-testid="production-running">
          <Button variant="danger" onClick={open}>
            {t('production.show')}
          </Button>
        </Alert>
      ) : wizard.step === 'destination' ? (
        <section
          className="card danger-zone"
          aria-labelledby={headingId}
          data-testid="production-zone"
        >
          <h2 id={headingId} className="danger-zone__title">
            {t('production.zoneTitle')}
          </h2>
          <p>{t('production.zoneText', { name: server.name })}</p>
          {target ? null : <p className="muted">{t('production.noTarget')}</p>}
          <Button variant="danger" disabled={!target} onClick={open} data-testid="open-production">
            {t('production.open')}
          </Button>
        </section>
      ) : null}
      <ProductionRestoreDialog server={server} zone={zone} />
    </>
  );
}
