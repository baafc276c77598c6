import { useId } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { CopyButton } from '../../components/CopyButton';

/** The generated public key with a copy button and how to install it. */
export function PublicKeyBox({ server }: { server: Server }) {
  const t = useT();
  const id = useId();
  if (!server.publicKey) return null;
  const key = server.publicKey.trim();
  const command = `mkdir -p ~/.ssh && chmod 700 ~/.ssh && echo '${key}' >> ~/.ssh/authorized_keys`;
  return (
    <div className="public-key">
      <label htmlFor={id} className="field__label">
        {t('add.publicKey.label')}
      </label>
      <textarea
        id={id}
        className="field__input field__textarea mono"
        readOnly
        rows={3}
        value={key}
        data-testid="public-key"
      />
      <CopyButton text={key} />
      <p>{t('add.publicKey.instructions', { user: server.user, host: server.host })}</p>
      <pre className="command">
        <code>{command}</code>
      </pre>
    </div>
  );
}
