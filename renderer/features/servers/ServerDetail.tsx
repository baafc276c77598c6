import { useEffect, useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useLang, useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { DangerConfirmDialog } from '../../components/DangerConfirmDialog';
import { formatDateTime } from '../../lib/format';
import { isBusy } from '../../stores/connect-flow';
import {
  connectFlowStore,
  recoveryKitStore,
  serversStore,
  useConnectFlow,
  useRecoveryKit,
  useServers,
} from '../../stores';
import { KitGate } from '../dashboard/KitGate';
import { UninstallCard } from '../agent-install/UninstallCard';
import { UpdateCard } from '../agent-install/UpdateCard';
import { AddressEditor, isUnreachable, UnreachableHint } from './AddressEditor';
import { ConnectFlowView } from './ConnectFlowView';
import { ErrorLine } from '../../components/ErrorLine';
import { DetectionView } from './DetectionView';
import { PublicKeyBox } from './PublicKeyBox';
import { ServerStatusBadge } from './ServerStatusBadge';
import { needsHostKeyTrust, UntrustedHostKeyHint } from './UntrustedHostKeyHint';

function RemoveDialog({
  server,
  onDone,
  onCancel,
}: {
  server: Server;
  onDone(): void;
  onCancel(): void;
}) {
  const t = useT();
  return (
    <DangerConfirmDialog
      title={t('detail.removeTitle', { name: server.name })}
      confirmLabel={t('detail.removeConfirm')}
      run={async () => {
        await serversStore.getState().remove(server.id);
        connectFlowStore.getState().clear(server.id);
      }}
      onDone={onDone}
      onCancel={onCancel}
    >
      <p>{t('detail.removeText')}</p>
    </DangerConfirmDialog>
  );
}

/** One server: how we reach it, the pinned host key, its status and what was detected. */
export function ServerDetail({ id }: { id: string }) {
  const t = useT();
  const lang = useLang();
  const navigate = useRoute((s) => s.navigate);
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const loaded = useServers((s) => s.loaded);
  const flow = useConnectFlow((s) => s.flows[id]);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [editing, setEditing] = useState(false);
  const kit = useRecoveryKit((s) => s.kits[id]);
  const protectedDir = server?.protectedDataDirectory ?? null;
  // The protected cluster counts as protected only with its recovery kit confirmed.
  useEffect(() => {
    if (protectedDir) void recoveryKitStore.getState().load(id);
  }, [id, protectedDir]);
  const kitAcknowledgedAt = kit?.loaded || kit?.acknowledgedAt ? kit.acknowledgedAt : undefined;

  // A pin that no longer matches is shown with both fingerprints, also after a restart.
  const status = server?.status;
  useEffect(() => {
    if (server && status === 'host-key-changed')
      void connectFlowStore.getState().inspectChanged(server);
    // Only when the status flips; the server object changes on every refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, status]);

  if (!server) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {loaded ? t('detail.notFound') : t('common.loading')}
        </h1>
        <Button onClick={() => navigate({ name: 'servers' })}>{t('common.back')}</Button>
      </section>
    );
  }

  const busy = isBusy(flow);
  const unreachable = isUnreachable(server, flow);

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {server.name}
        </h1>
        <span data-testid="server-status">
          <ServerStatusBadge status={server.status} />
        </span>
      </div>

      <ConnectFlowView server={server} />
      {needsHostKeyTrust(server, flow) ? <UntrustedHostKeyHint server={server} /> : null}
      {unreachable && !busy ? (
        <UnreachableHint server={server} onEdit={editing ? null : () => setEditing(true)} />
      ) : null}
      {server.statusMessage &&
      server.status !== 'connected' &&
      flow?.step !== 'changed' &&
      flow?.step !== 'failed' ? (
        server.statusError ? (
          <ErrorLine className="status-message" error={server.statusError} />
        ) : (
          // Recorded before failures were kept as codes: main's words are all there is.
          <p className="status-message">{server.statusMessage}</p>
        )
      ) : null}

      <div className="card">
        <h2>{t('detail.connection')}</h2>
        <dl className="facts">
          <dt>{t('detail.host')}</dt>
          <dd className="mono">
            {server.host}:{server.port}
          </dd>
          <dt>{t('detail.user')}</dt>
          <dd className="mono">{server.user}</dd>
          <dt>{t('detail.authKind')}</dt>
          <dd>
            {server.authKind === 'generate'
              ? t('detail.auth.generate')
              : t('detail.auth.privateKey')}
          </dd>
          <dt>{t('detail.fingerprint')}</dt>
          <dd>
            {server.hostKey ? (
              <>
                <span className="mono" data-testid="pinned-fingerprint">
                  {server.hostKey.fingerprint}
                </span>{' '}
                <span className="muted">
                  ({server.hostKey.algorithm},{' '}
                  {t('detail.pinnedAt', { date: formatDateTime(server.hostKey.pinnedAt, lang) })})
                </span>
              </>
            ) : (
              <span className="muted">{t('detail.fingerprintNone')}</span>
            )}
          </dd>
          <dt>{t('detail.lastConnected')}</dt>
          <dd>
            {server.lastConnectedAt
              ? formatDateTime(server.lastConnectedAt, lang)
              : t('detail.never')}
          </dd>
        </dl>
        {editing ? (
          <AddressEditor server={server} onDone={() => setEditing(false)} />
        ) : (
          <div className="actions">
            <Button
              variant="primary"
              busy={busy}
              onClick={() => void connectFlowStore.getState().start(server)}
            >
              {busy ? t('detail.connecting') : t('detail.connect')}
            </Button>
            <Button onClick={() => setEditing(true)} data-testid="address-edit">
              {t('address.edit')}
            </Button>
          </div>
        )}
      </div>

      <div className="card" data-testid="backups-card">
        <h2>{t('backups.title')}</h2>
        <p className="muted">{t('backups.intro')}</p>
        {protectedDir && kitAcknowledgedAt === null ? <KitGate serverId={server.id} /> : null}
        <div className="actions">
          <Button variant="primary" onClick={() => navigate({ name: 'install', id: server.id })}>
            {t('backups.setUp')}
          </Button>
          <Button onClick={() => navigate({ name: 'dashboard', id: server.id })}>
            {t('backups.status')}
          </Button>
          <Button onClick={() => navigate({ name: 'timeline', id: server.id })}>
            {t('timeline.nav')}
          </Button>
          <Button onClick={() => navigate({ name: 'drills', id: server.id })}>
            {t('drills.nav')}
          </Button>
        </div>
      </div>

      {server.authKind === 'generate' && server.publicKey ? (
        <div className="card">
          <h2>{t('detail.publicKey')}</h2>
          <PublicKeyBox server={server} />
        </div>
      ) : null}

      <div className="card">
        <h2>{t('detail.detection')}</h2>
        {server.detection ? (
          <DetectionView
            detection={server.detection}
            protectedDataDirectory={server.protectedDataDirectory}
            kitAcknowledgedAt={kitAcknowledgedAt}
          />
        ) : (
          <p className="muted">{t('detail.notDetected')}</p>
        )}
      </div>

      {protectedDir !== null ? <UpdateCard server={server} /> : null}
      <UninstallCard server={server} installed={protectedDir !== null} />

      <div className="actions actions--end">
        <Button variant="danger" onClick={() => setConfirmRemove(true)}>
          {t('detail.remove')}
        </Button>
      </div>
      {confirmRemove ? (
        <RemoveDialog
          server={server}
          onCancel={() => setConfirmRemove(false)}
          onDone={() => navigate({ name: 'servers' })}
        />
      ) : null}
    </section>
  );
}
