import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { ErrorAlert } from '../../components/ErrorAlert';
import { connectFlowStore, useConnectFlow } from '../../stores';
import { JobProgress } from '../jobs/JobProgress';
import { HostKeyChangedAlert } from './HostKeyChangedAlert';
import { HostKeyDialog } from './HostKeyDialog';

/**
 * Renders where connecting to `server` stands: the fingerprint dialog, progress, or the
 * outcome. `onTrusted` runs when the admin trusts the key (the add page navigates then).
 */
export function ConnectFlowView({ server, onTrusted }: { server: Server; onTrusted?(): void }) {
  const t = useT();
  const flow = useConnectFlow((s) => s.flows[server.id]);
  if (!flow) return null;
  const actions = connectFlowStore.getState();

  switch (flow.step) {
    case 'confirm':
      return (
        <HostKeyDialog
          server={server}
          probe={flow.probe}
          onCancel={() => actions.cancel(server.id)}
          onTrust={() => {
            void actions.trust(server.id);
            onTrusted?.();
          }}
        />
      );
    case 'probing':
      return (
        <p role="status" className="muted">
          {t('hostKey.probing')}
        </p>
      );
    case 'trusting':
    case 'starting':
      return (
        <p role="status" className="muted">
          {t('detail.connecting')}
        </p>
      );
    case 'running':
      return <JobProgress jobId={flow.jobId} />;
    case 'changed':
      return <HostKeyChangedAlert pinned={flow.pinned} presented={flow.presented} />;
    case 'failed':
      return <ErrorAlert error={flow.error} data-testid="connect-error" />;
    case 'succeeded':
    case 'cancelled':
      return null;
  }
}
