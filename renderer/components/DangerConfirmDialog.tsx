import { useRef, useState, type ReactNode } from 'react';
import { useT } from '../app/i18n';
import { toApiError, type ApiError } from '../lib/api-client';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';

/**
 * Asks before something is removed for good. Focus starts on Cancel, so Enter alone never
 * destroys anything; a failure stays in the dialog with its next step, and the admin may try
 * again or cancel.
 */
export function DangerConfirmDialog({
  title,
  confirmLabel,
  run,
  onDone,
  onCancel,
  children,
  'data-testid': testId,
}: {
  title: string;
  confirmLabel: string;
  run(): Promise<void>;
  onDone(): void;
  onCancel(): void;
  children: ReactNode;
  'data-testid'?: string;
}) {
  const t = useT();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await run();
      onDone();
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }
  return (
    <Dialog
      tone="danger"
      title={title}
      onCancel={onCancel}
      initialFocus={cancelRef}
      data-testid={testId}
      actions={
        <>
          <Button ref={cancelRef} onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error ? <ErrorAlert error={error} /> : null}
    </Dialog>
  );
}
