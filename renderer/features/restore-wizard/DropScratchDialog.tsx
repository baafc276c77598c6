import { useRef, useState } from 'react';
import type { ScratchEnvironment } from '../../../shared/contract/recovery';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toApiError, type ApiError } from '../../lib/api-client';

/** Asks before a scratch environment is stopped and deleted; `drop` does it. */
export function DropScratchDialog({
  scratch,
  drop,
  onDone,
  onCancel,
}: {
  scratch: ScratchEnvironment;
  drop(): Promise<void>;
  onDone(): void;
  onCancel(): void;
}) {
  const t = useT();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await drop();
      onDone();
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }
  return (
    <Dialog
      tone="danger"
      title={t('scratch.dropTitle')}
      onCancel={onCancel}
      initialFocus={cancelRef}
      data-testid="drop-scratch-dialog"
      actions={
        <>
          <Button ref={cancelRef} onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void confirm()}>
            {t('scratch.dropConfirm')}
          </Button>
        </>
      }
    >
      <p>
        {t('scratch.dropText', {
          host: scratch.host,
          port: scratch.port,
          directory: scratch.dataDirectory,
        })}
      </p>
      {scratch.filesDirectory ? (
        <p>{t('scratch.dropFiles', { directory: scratch.filesDirectory })}</p>
      ) : null}
      <p>{t('scratch.dropSafe')}</p>
      {error ? <ErrorAlert error={error} /> : null}
    </Dialog>
  );
}
