import { useRef, useState } from 'react';
import type { GdprEraseResult, GdprSubjectInput } from '../../../shared/contract/gdpr';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { api } from '../../lib/api';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDateTime } from '../../lib/format';
import { formatDay } from './format-day';

/** What an erasure (or its dry run) changes, one line per table, reference and file. */
function Changes({ result }: { result: GdprEraseResult }) {
  const t = useT();
  return (
    <ul data-testid={result.dryRun ? 'gdpr-dry-run' : 'gdpr-erased-list'}>
      {result.tables.map((x) => (
        <li key={`t:${x.table}`} data-table={x.table} data-rows={x.rows}>
          {t('gdpr.erase.rows', { table: x.table, rows: x.rows })}
        </li>
      ))}
      {result.references.map((x) => (
        <li key={`r:${x.id}`}>
          {t('gdpr.erase.reference', { id: x.id, rows: x.rows, effect: x.effect })}
        </li>
      ))}
      {result.files.map((x) => (
        <li key={`f:${x.path}`} className="mono">
          {t('gdpr.erase.file', { path: x.path, state: t(`gdpr.erase.file.${x.state}`) })}
        </li>
      ))}
    </ul>
  );
}

/**
 * The erasure of the shown subject: the dry run first (changes nothing, lists what would
 * change), then the erasure behind a dialog naming the subject, then the hard delete's due date.
 */
export function EraseCard({
  subject,
  requestId,
  onErased,
}: {
  subject: GdprSubjectInput;
  /** The erasure request this answers: the app writes its signed confirmation. */
  requestId?: string;
  onErased(): void;
}) {
  const t = useT();
  const lang = useLang();
  const [dryRun, setDryRun] = useState<GdprEraseResult | null>(null);
  const [erased, setErased] = useState<GdprEraseResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function erase(dry: boolean) {
    setBusy(true);
    setError(null);
    try {
      const result = requestId
        ? (await api().call('gdpr.requests.erase', { id: requestId, dryRun: dry })).erasure
        : await api().call('gdpr.erase', { ...subject, dryRun: dry });
      if (dry) setDryRun(result);
      else {
        setErased(result);
        onErased();
      }
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const refused = dryRun !== null && dryRun.refusals.length > 0;
  return (
    <div className="card" data-testid="gdpr-erase">
      <h2>{t('gdpr.erase.title')}</h2>
      <div className="page-head__actions">
        <Button busy={busy && !dryRun} disabled={erased !== null} onClick={() => void erase(true)}>
          {t('gdpr.erase.dryRun')}
        </Button>
        <Button
          variant="danger"
          disabled={dryRun === null || refused || erased !== null || busy}
          onClick={() => setConfirming(true)}
        >
          {t('gdpr.erase.erase')}
        </Button>
      </div>
      {dryRun && !erased ? (
        <>
          <p>{t('gdpr.erase.dryRunIntro')}</p>
          <Changes result={dryRun} />
          {refused ? (
            <Alert
              tone="warning"
              title={t('gdpr.erase.refusals', { reasons: dryRun.refusals.join('; ') })}
              data-testid="gdpr-refusals"
            />
          ) : null}
        </>
      ) : null}
      {error ? <ErrorAlert error={error} data-testid="gdpr-erase-error" /> : null}
      {erased ? (
        <Alert
          tone="success"
          title={t('gdpr.erase.done', {
            at: erased.erasedAt ? formatDateTime(erased.erasedAt, lang) : t('common.unknown'),
            date: formatDay(erased.hardDeleteDue, lang),
          })}
          data-testid="gdpr-erase-done"
        >
          <Changes result={erased} />
        </Alert>
      ) : null}
      {confirming && dryRun ? (
        <Dialog
          title={t('gdpr.erase.confirmTitle', { subject: subject.subject })}
          onCancel={() => setConfirming(false)}
          initialFocus={cancelRef}
          tone="danger"
          data-testid="gdpr-erase-confirm"
          actions={
            <>
              <Button ref={cancelRef} onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                variant="danger"
                onClick={() => {
                  setConfirming(false);
                  void erase(false);
                }}
              >
                {t('gdpr.erase.confirm', { subject: subject.subject })}
              </Button>
            </>
          }
        >
          <p>
            {t('gdpr.erase.confirmText', {
              subject: subject.subject,
              database: subject.database,
              date: formatDay(dryRun.hardDeleteDue, lang),
            })}
          </p>
        </Dialog>
      ) : null}
    </div>
  );
}
