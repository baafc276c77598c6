import { useEffect, useState, type FormEvent } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, TextAreaField } from '../../components/Field';
import { toApiError, type ApiError } from '../../lib/api-client';
import { connectFlowStore, rebuildStore, serversStore, useConnectFlow } from '../../stores';
import { ConnectFlowView } from '../servers/ConnectFlowView';
import { SshAddressFields } from '../servers/SshAddressFields';

/** Large enough for an RSA 8192 key in PEM; the contract's limit. */
const MAX_KEY_CHARS = 16_384;

/**
 * The fresh host, added as adding a server does: its SSH address and a private key that logs
 * in as root, then its host key's fingerprint confirmed (HostKeyDialog) before anything is
 * trusted, then connected. Once connected it is the rebuild's host.
 */
export function NewHostForm() {
  const t = useT();
  const [name, setName] = useState('');
  const [address, setAddress] = useState({ host: '', port: '22', user: 'root' });
  const [privateKey, setPrivateKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [added, setAdded] = useState<Server | null>(null);
  const flow = useConnectFlow((s) => (added ? s.flows[added.id] : undefined));

  useEffect(() => {
    if (added && flow?.step === 'succeeded') {
      void serversStore
        .getState()
        .refresh(added.id)
        .finally(() => rebuildStore.getState().setHost(added.id));
    }
  }, [added, flow?.step]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const server = await serversStore.getState().add({
        name,
        host: address.host.trim(),
        port: address.port.trim() === '' ? 22 : Number(address.port),
        user: address.user.trim(),
        auth: { kind: 'privateKey', privateKey },
      });
      // The key is in main's secret store now; the page keeps no copy.
      setPrivateKey('');
      setAdded(server);
      void connectFlowStore.getState().start(server);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  if (added) {
    return (
      <div className="card" data-testid="rebuild-new-host">
        <h3>{added.name}</h3>
        <ConnectFlowView server={added} />
        {flow?.step === 'cancelled' ? (
          <p className="muted">{t('rebuild.host.notTrusted')}</p>
        ) : null}
      </div>
    );
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="rebuild-host-form">
      <h3>{t('rebuild.host.newTitle')}</h3>
      <Field
        required
        maxLength={100}
        autoComplete="off"
        label={t('add.name')}
        hint={t('rebuild.host.nameHint')}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <SshAddressFields
        {...address}
        onHost={(host) => setAddress({ ...address, host })}
        onPort={(port) => setAddress({ ...address, port })}
        onUser={(user) => setAddress({ ...address, user })}
        hostLabel="add.host"
        userLabel="add.user"
      />
      {/* Only pasted: the rebuild's host logs in with a key the admin already has. */}
      <TextAreaField
        className="mono"
        label={t('add.privateKey')}
        hint={t('rebuild.host.keyHint')}
        rows={5}
        required
        maxLength={MAX_KEY_CHARS}
        value={privateKey}
        onChange={(e) => setPrivateKey(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      {error ? <ErrorAlert error={error} /> : null}
      <div className="actions">
        <Button type="submit" busy={busy} data-testid="rebuild-host-add">
          {t('rebuild.host.add')}
        </Button>
      </div>
    </form>
  );
}
