import type { ScratchEnvironment } from '../../../shared/contract/recovery';
import { useT } from '../../app/i18n';
import { DangerConfirmDialog } from '../../components/DangerConfirmDialog';

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
  return (
    <DangerConfirmDialog
      title={t('scratch.dropTitle')}
      confirmLabel={t('scratch.dropConfirm')}
      run={drop}
      onDone={onDone}
      onCancel={onCancel}
      data-testid="drop-scratch-dialog"
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
    </DangerConfirmDialog>
  );
}
