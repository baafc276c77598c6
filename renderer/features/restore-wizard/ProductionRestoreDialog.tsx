import { useRef, useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toApiError, type ApiError } from '../../lib/api-client';
import { productionConfirmed } from '../../stores/restore-production';
import { productionRestoreStore, useJobs, useProductionRestore } from '../../stores';
import { ProductionConfirm } from './ProductionConfirm';
import { ProductionRun } from './ProductionRun';

/**
 * The danger path's dialog: what restoring over production does, the database name typed to
 * confirm (the start button stays disabled until it matches), then the job's progress and its
 * result with the safety snapshot. Escape or Close hides it; a running restore goes on.
 */
export function ProductionRestoreDialog({ server, zone }: { server: Server; zone: string }) {
  const t = useT();
  const closeRef = useRef<HTMLButtonElement>(null);
  const state = useProductionRestore((s) => s.production[server.id]);
  const jobId = state && 'jobId' in state.run ? state.run.jobId : null;
  const job = useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);
  if (!state?.open) return null;
  const store = productionRestoreStore.getState();
  const close = () => store.closeProduction(server.id);
  const started = jobId !== null;
  const confirmed = productionConfirmed(state.plan, state.typed);

  async function cancel() {
    setCancelling(true);
    setCancelError(null);
    try {
      await store.cancelProduction(server.id);
    } catch (err) {
      // Refused once production is being overwritten: main says why.
      setCancelError(toApiError(err));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <Dialog
      tone="danger"
      size="wide"
      title={t('production.title', { name: server.name })}
      onCancel={close}
      initialFocus={closeRef}
      data-testid="production-dialog"
      actions={
        <>
          <Button ref={closeRef} onClick={close}>
            {started ? t('common.close') : t('common.cancel')}
          </Button>
          {!started ? (
            <Button
              variant="danger"
              disabled={!confirmed}
              busy={state.run.status === 'starting'}
              onClick={() => void store.startProduction(server.id)}
              data-testid="start-production"
            >
              {state.run.status === 'starting' ? t('production.starting') : t('production.start')}
            </Button>
          ) : null}
          {state.run.status === 'running' ? (
            <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
              {t('production.cancel')}
            </Button>
          ) : null}
        </>
      }
    >
      {started ? (
        <ProductionRun state={state} job={job} zone={zone} />
      ) : (
        <ProductionConfirm server={server} state={state} zone={zone} />
      )}
      {cancelError ? <ErrorAlert error={cancelError} /> : null}
    </Dialog>
  );
}
