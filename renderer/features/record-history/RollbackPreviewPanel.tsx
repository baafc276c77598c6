import { useState } from 'react';
import type { RollbackPreview } from '../../../shared/audit/rollback-plan';
import { refusalPhrase } from '../../../shared/audit/refusal-phrase';
import { useLang, useT } from '../../app/i18n';
import { wordPhrase } from '../../app/i18n/word-phrase';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import type { Refusal } from '../../../shared/audit/rollback-plan';
import { FieldTable } from './FieldTable';
import { ReasonDialog } from './ReasonDialog';

/** A refusal in the current language: the sentence says why and what to do next. */
export function RefusalAlert({ refusal }: { refusal: Refusal }) {
  const t = useT();
  const lang = useLang();
  return (
    <Alert tone="danger" title={t('records.refused')} data-testid="rollback-refusal">
      <p data-refusal={refusal.code}>{wordPhrase(t, lang, refusalPhrase(refusal))}</p>
    </Alert>
  );
}

/**
 * The preview of one rollback: what it does, the exact statements, the diff against the
 * current row; "apply" asks for a reason in a confirmation dialog first.
 */
export function RollbackPreviewPanel({
  preview,
  db,
  applying,
  onApply,
}: {
  preview: RollbackPreview;
  db: string;
  applying: boolean;
  onApply(reason: string): void;
}) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const canApply = preview.action !== 'none' && !preview.refusal;
  return (
    <section
      aria-labelledby="rollback-preview"
      data-testid="rollback-preview"
      data-action={preview.action}
    >
      <h2 id="rollback-preview">{t('records.preview')}</h2>
      <p>{t(`records.preview.action.${preview.action}`)}</p>
      {preview.refusal ? <RefusalAlert refusal={preview.refusal} /> : null}
      {preview.statements.length > 0 ? (
        <>
          <h3>{t('records.preview.statements')}</h3>
          <pre className="mono record-statements" data-testid="rollback-statements" lang="en">
            {preview.statements.join('\n')}
          </pre>
        </>
      ) : null}
      {preview.diff.length > 0 ? (
        <FieldTable
          caption={t('records.preview.diff')}
          left="records.col.current"
          right="records.col.target"
          rows={preview.diff.map((d) => ({ column: d.column, left: d.current, right: d.target }))}
          data-testid="rollback-diff"
        />
      ) : null}
      {canApply ? (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t('records.apply')}
        </Button>
      ) : null}
      {confirming ? (
        <ReasonDialog
          title={t('records.confirm.title')}
          applyLabel={t('records.confirm.apply')}
          busy={applying}
          onCancel={() => setConfirming(false)}
          onConfirm={(reason) => {
            onApply(reason);
            setConfirming(false);
          }}
          data-testid="rollback-confirm"
        >
          <p>{t('records.confirm.body', { db })}</p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}
