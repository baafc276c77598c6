import { useRef } from 'react';
import type { HostKeyProbe, Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';

/** The file whose fingerprint the admin compares, by key algorithm. */
export function hostKeyFile(algorithm: string): string {
  const a = algorithm.toLowerCase();
  if (a.includes('ed25519')) return '/etc/ssh/ssh_host_ed25519_key.pub';
  if (a.includes('ecdsa')) return '/etc/ssh/ssh_host_ecdsa_key.pub';
  if (a.includes('rsa')) return '/etc/ssh/ssh_host_rsa_key.pub';
  return '/etc/ssh/ssh_host_ed25519_key.pub';
}

/**
 * First contact: show the SHA256 fingerprint and how to check it on the server. Focus starts
 * on Cancel, so pressing Enter without reading does not trust anything.
 */
export function HostKeyDialog({
  server,
  probe,
  onTrust,
  onCancel,
}: {
  server: Server;
  probe: HostKeyProbe;
  onTrust(): void;
  onCancel(): void;
}) {
  const t = useT();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={t('hostKey.dialogTitle')}
      onCancel={onCancel}
      initialFocus={cancelRef}
      data-testid="host-key-dialog"
      actions={
        <>
          <Button ref={cancelRef} onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" onClick={onTrust}>
            {t('hostKey.trust')}
          </Button>
        </>
      }
    >
      <p>
        {t('hostKey.intro', { host: `${server.host}:${server.port}`, algorithm: probe.algorithm })}
      </p>
      <p className="fingerprint" data-testid="host-key-fingerprint">
        {probe.fingerprint}
      </p>
      <p>{t('hostKey.compare')}</p>
      <pre className="command">
        <code>ssh-keygen -lf {hostKeyFile(probe.algorithm)}</code>
      </pre>
      <p className="muted">{t('hostKey.warning')}</p>
    </Dialog>
  );
}
