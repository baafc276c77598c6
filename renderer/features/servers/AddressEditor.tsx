import { useState, type FormEvent } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toApiError, type ApiError } from '../../lib/api-client';
import { connectFlowStore, serversStore } from '../../stores';
import type { ConnectFlow } from '../../stores/connect-flow';
import { SshAddressFields } from './SshAddressFields';

/**
 * Whether the server could not be reached the last time: its status, or the connect attempt
 * on this page failing with "unreachable".
 */
export function isUnreachable(server: Server, flow: ConnectFlow | undefined): boolean {
  return (
    server.status === 'unreachable' ||
    (flow?.step === 'failed' && flow.error.code === 'SSH_UNREACHABLE')
  );
}

/** What to check when a server does not answer, in the order an admin would check it. */
export function UnreachableHint({
  server,
  onEdit,
}: {
  server: Server;
  /** Opens the address editor; null while it is open. */
  onEdit: (() => void) | null;
}) {
  const t = useT();
  return (
    <Alert tone="warning" title={t('address.hint.title')} data-testid="unreachable-hint">
      <ul className="alert__list">
        <li>{t('address.hint.host', { host: server.host })}</li>
        <li>{t('address.hint.port', { port: server.port })}</li>
        <li>{t('address.hint.firewall', { port: server.port })}</li>
        <li>{t('address.hint.sshd')}</li>
      </ul>
      {onEdit ? (
        <div className="actions">
          <Button onClick={onEdit}>{t('address.edit')}</Button>
        </div>
      ) : null}
    </Alert>
  );
}

/**
 * Host, port and SSH user of a server, changed in place. A new host is another machine until
 * its fingerprint is confirmed (main drops the pin); after a new host or port the console
 * connects at once, so the admin confirms the fingerprint, or sees the pinned key checked.
 */
export function AddressEditor({ server, onDone }: { server: Server; onDone(): void }) {
  const t = useT();
  const [host, setHost] = useState(server.host);
  const [port, setPort] = useState(String(server.port));
  const [user, setUser] = useState(server.user);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const moved = host.trim() !== server.host || Number(port) !== server.port;
      const updated = await serversStore
        .getState()
        .update({ id: server.id, host: host.trim(), port: Number(port), user: user.trim() });
      connectFlowStore.getState().clear(server.id);
      onDone();
      if (moved) void connectFlowStore.getState().start(updated);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void save(e)} data-testid="address-form">
      <p className="muted">{t('address.intro')}</p>
      <SshAddressFields
        host={host}
        port={port}
        user={user}
        onHost={setHost}
        onPort={setPort}
        onUser={setUser}
        hostLabel="detail.host"
        userLabel="detail.user"
      />
      {host.trim() !== server.host ? (
        <Alert tone="info" data-testid="address-new-host">
          {t('address.newHost')}
        </Alert>
      ) : null}
      {error ? <ErrorAlert error={error} data-testid="address-error" /> : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('address.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
