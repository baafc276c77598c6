import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { connectFlowStore } from '../../stores';
import type { ConnectFlow } from '../../stores/connect-flow';

/**
 * Whether the page should remind the admin that this server's host key was never trusted.
 * It reads the server itself (no pin), not the connect flow, because the flow lives only in
 * memory: after a reload the server is still unpinned and nothing else would say so. While
 * a flow is asking, connecting or showing its own outcome, that flow speaks instead.
 */
export function needsHostKeyTrust(server: Server, flow: ConnectFlow | undefined): boolean {
  if (server.hostKey !== null) return false;
  return flow === undefined || flow.step === 'cancelled';
}

/** What is missing and the one action that reads the fingerprint and asks to trust it. */
export function UntrustedHostKeyHint({ server }: { server: Server }) {
  const t = useT();
  return (
    <Alert tone="warning" title={t('hostKey.untrusted.title')} data-testid="host-key-untrusted">
      <p>{t('hostKey.untrusted.text', { host: `${server.host}:${server.port}` })}</p>
      <div className="actions">
        <Button variant="primary" onClick={() => void connectFlowStore.getState().start(server)}>
          {t('hostKey.untrusted.action')}
        </Button>
      </div>
    </Alert>
  );
}
