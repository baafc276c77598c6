import { useState, type ReactNode } from 'react';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { TextAreaField } from '../../components/Field';

/**
 * The last question before a change to production data: what happens (children), and why, in
 * the admin's words. The reason lands in the audit trail and the accountability log, so the
 * action stays disabled until one is given.
 */
export function ReasonDialog({
  title,
  applyLabel,
  busy,
  onCancel,
  onConfirm,
  children,
  'data-testid': testId,
}: {
  title: string;
  applyLabel: string;
  busy: boolean;
  onCancel(): void;
  onConfirm(reason: string): void;
  children: ReactNode;
  'data-testid'?: string;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  return (
    <Dialog
      title={title}
      tone="danger"
      onCancel={onCancel}
      data-testid={testId}
      actions={
        <>
          <Button onClick={onCancel}>{t('records.cancel')}</Button>
          <Button
            variant="danger"
            busy={busy}
            disabled={reason.trim() === ''}
            onClick={() => onConfirm(reason.trim())}
          >
            {busy ? t('records.applying') : applyLabel}
          </Button>
        </>
      }
    >
      {children}
      <TextAreaField
        label={t('records.reason.label')}
        value={reason}
        maxLength={2000}
        required
        onChange={(e) => setReason(e.target.value)}
      />
    </Dialog>
  );
}
