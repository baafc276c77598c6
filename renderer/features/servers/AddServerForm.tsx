import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { Server, ServerDraft } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, TextAreaField } from '../../components/Field';
import { toApiError, type ApiError } from '../../lib/api-client';
import { connectFlowStore, serversStore, useConnectFlow } from '../../stores';
import { ConnectFlowView } from './ConnectFlowView';
import { PublicKeyBox } from './PublicKeyBox';
import { SshAddressFields } from './SshAddressFields';

type AuthKind = 'privateKey' | 'generate';

/** Large enough for an RSA 8192 key in PEM; matches the contract's limit. */
const MAX_KEY_CHARS = 16_384;

/**
 * Adding a server: connection data and how to log in, then (for a generated pair) installing
 * the public key, then checking the host key fingerprint before anything is trusted.
 */
export function AddServerForm() {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('22');
  const [user, setUser] = useState('root');
  const [authKind, setAuthKind] = useState<AuthKind>('privateKey');
  const [privateKey, setPrivateKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [fileError, setFileError] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Server | null>(null);
  const [keyInstalled, setKeyInstalled] = useState(false);
  const flowStep = useConnectFlow((s) => (created ? s.flows[created.id]?.step : undefined));

  async function readKeyFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileError(false);
    if (!file) return;
    try {
      if (file.size > MAX_KEY_CHARS) throw new Error('too large');
      setPrivateKey((await file.text()).trim() + '\n');
    } catch {
      setFileError(true);
    } finally {
      // Reading the same file again after editing should work too.
      event.target.value = '';
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    const draft: ServerDraft = {
      name,
      host: host.trim(),
      port: port.trim() === '' ? 22 : Number(port),
      user: user.trim(),
      auth:
        authKind === 'generate'
          ? { kind: 'generate' }
          : passphrase
            ? { kind: 'privateKey', privateKey, passphrase }
            : { kind: 'privateKey', privateKey },
    };
    try {
      const server = await serversStore.getState().add(draft);
      // The key is in main's secret store now; do not keep a copy in the page.
      setPrivateKey('');
      setPassphrase('');
      setCreated(server);
      if (server.authKind !== 'generate') void connectFlowStore.getState().start(server);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSubmitting(false);
    }
  }

  const openServer = (id: string) => navigate({ name: 'server', id });

  if (created) {
    const needsKeyInstall = created.authKind === 'generate' && !keyInstalled;
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {created.name}
        </h1>
        {needsKeyInstall ? (
          <div className="card">
            <h2>{t('add.publicKey.title')}</h2>
            <PublicKeyBox server={created} />
            <div className="actions">
              <Button
                variant="primary"
                onClick={() => {
                  setKeyInstalled(true);
                  void connectFlowStore.getState().start(created);
                }}
              >
                {t('add.publicKey.continue')}
              </Button>
            </div>
          </div>
        ) : (
          <ConnectFlowView server={created} onTrusted={() => openServer(created.id)} />
        )}
        {flowStep === 'cancelled' ? <Alert tone="info">{t('add.cancelled')}</Alert> : null}
        {flowStep === 'cancelled' || flowStep === 'changed' || flowStep === 'failed' ? (
          <div className="actions">
            <Button onClick={() => openServer(created.id)}>{t('add.openServer')}</Button>
          </div>
        ) : null}
      </section>
    );
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('add.title')}
      </h1>
      <p className="muted">{t('add.intro')}</p>
      <form className="form card" onSubmit={(e) => void submit(e)}>
        <Field
          label={t('add.name')}
          hint={t('add.nameHint')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          autoComplete="off"
        />
        <SshAddressFields
          host={host}
          port={port}
          user={user}
          onHost={setHost}
          onPort={setPort}
          onUser={setUser}
          hostLabel="add.host"
          userLabel="add.user"
        />

        <fieldset className="fieldset">
          <legend>{t('add.auth')}</legend>
          <label className="choice">
            <input
              type="radio"
              name="auth"
              value="privateKey"
              checked={authKind === 'privateKey'}
              onChange={() => setAuthKind('privateKey')}
            />
            {t('add.auth.privateKey')}
          </label>
          <label className="choice">
            <input
              type="radio"
              name="auth"
              value="generate"
              checked={authKind === 'generate'}
              onChange={() => setAuthKind('generate')}
            />
            {t('add.auth.generate')}
          </label>

          {authKind === 'privateKey' ? (
            <div className="fieldset__body">
              <TextAreaField
                label={t('add.privateKey')}
                hint={t('add.privateKeyHint')}
                value={privateKey}
                onChange={(e) => setPrivateKey(e.target.value)}
                required
                rows={7}
                maxLength={MAX_KEY_CHARS}
                spellCheck={false}
                autoComplete="off"
                className="mono"
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              />
              <Field
                label={t('add.privateKeyFile')}
                type="file"
                onChange={(e) => void readKeyFile(e)}
              />
              {fileError ? <Alert tone="warning">{t('add.privateKeyFileError')}</Alert> : null}
              <Field
                label={t('add.passphrase')}
                type="password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                autoComplete="off"
              />
            </div>
          ) : (
            <p className="muted fieldset__body">{t('add.generateHint')}</p>
          )}
        </fieldset>

        {error ? <ErrorAlert error={error} /> : null}

        <div className="actions">
          <Button type="submit" variant="primary" busy={submitting}>
            {submitting ? t('add.submitting') : t('add.submit')}
          </Button>
          <Button onClick={() => navigate({ name: 'servers' })}>{t('common.cancel')}</Button>
        </div>
      </form>
    </section>
  );
}
