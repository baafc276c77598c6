import { useEffect, useRef, useState } from 'react';
import type { ReportDetail } from '../../../shared/contract/drill';
import { hasMessage, useLang, useT, type MessageKey } from '../../app/i18n';
import { routeToPath, useRoute } from '../../app/route';
import { Link } from 'wouter';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SelectField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format';
import { drillsStore, useDrills } from '../../stores';
import { canCountersign } from '../../stores/drills';
import { call } from '../../lib/api';
import { downloadFile, downloadPdf } from './pdf-download';
import { TableWrap } from '../../components/TableWrap';

function Summary({ detail }: { detail: ReportDetail }) {
  const t = useT();
  const lang = useLang();
  const { drill, entry } = detail;
  const when = (iso: string) => formatDateTime(iso, lang);
  return (
    <dl className="facts report-facts" data-testid="report-summary">
      <dt>{t('report.result')}</dt>
      <dd>
        <StatusBadge tone={drill.passed ? 'ok' : 'danger'}>
          {drill.passed ? t('drills.passed') : t('drills.failed')}
        </StatusBadge>
      </dd>
      <dt>{t('report.server')}</dt>
      <dd>{drill.server.name}</dd>
      <dt>{t('report.started')}</dt>
      <dd>{when(drill.startedAt)}</dd>
      <dt>{t('report.finished')}</dt>
      <dd>{when(drill.finishedAt)}</dd>
      <dt>{t('report.rto')}</dt>
      <dd data-testid="report-rto">
        {drill.rtoSeconds === null ? t('common.none') : formatDuration(drill.rtoSeconds, lang)}
      </dd>
      <dt>{t('report.rpo')}</dt>
      <dd data-testid="report-rpo">{formatDuration(drill.rpoSeconds, lang)}</dd>
      <dt>{t('report.newest')}</dt>
      <dd>{when(drill.newestRestorableAt)}</dd>
      <dt>{t('report.backup')}</dt>
      <dd className="mono">{drill.restored.backupLabel}</dd>
      <dt>{t('report.target')}</dt>
      <dd>
        {drill.restored.targetTime ? when(drill.restored.targetTime) : t('report.targetLatest')}
      </dd>
      <dt>{t('report.database')}</dt>
      <dd>{formatBytes(drill.restored.databaseBytes, lang)}</dd>
      <dt>{t('report.files')}</dt>
      <dd>
        {drill.restored.attachedFilesBytes === null
          ? t('report.filesNone')
          : formatBytes(drill.restored.attachedFilesBytes, lang)}
      </dd>
      {drill.environment ? (
        <>
          <dt>{t('report.environment')}</dt>
          <dd>{drill.environment}</dd>
        </>
      ) : null}
      <dt>{t('report.signer')}</dt>
      <dd>
        <span className="mono">{detail.signerPrincipal}</span>
        {entry.countersigned ? ` ${t('drills.countersigned')}` : ''}
      </dd>
      <dt>{t('report.chain')}</dt>
      <dd>{t('report.chainValue', { sequence: entry.sequence })}</dd>
      <dt>{t('report.evidence')}</dt>
      <dd>{t('report.evidenceValue', { count: detail.evidence.length })}</dd>
    </dl>
  );
}

type Check = ReportDetail['drill']['checks'][number];

/**
 * A check's finding in the console's language, worded from the signed report's `words` (codes
 * with parameters). A report signed before the words existed, or by a newer agent with a code
 * this console does not know, shows its stored English detail, marked as such.
 */
function CheckDetail({ check }: { check: Check }) {
  const t = useT();
  const words = check.words ?? [];
  const known = words.length > 0 && words.every((w) => hasMessage(`checkWord.${w.key}`));
  if (known) {
    const text = words.map((w) => t(`checkWord.${w.key}` as MessageKey, w.params)).join(' ');
    return (
      <td className="checks__detail" data-testid="check-detail" data-worded="true">
        {text}
      </td>
    );
  }
  return (
    <td className="checks__detail" data-testid="check-detail" data-worded="false">
      <span className="muted small">{t('report.detailStored')} </span>
      <span lang="en">{check.detail}</span>
    </td>
  );
}

function Checks({ detail }: { detail: ReportDetail }) {
  const t = useT();
  // The console's words for a check it knows; a newer agent's check keeps its own title.
  const checkTitle = (c: { id: string; title: string }) => {
    const key = `check.${c.id}`;
    return hasMessage(key) ? t(key) : c.title;
  };
  return (
    <TableWrap label={t('report.checksCaption')}>
      <table className="table" data-testid="report-checks">
        <caption className="visually-hidden">{t('report.checksCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.check')}</th>
            <th scope="col">{t('report.checkResult')}</th>
            <th scope="col">{t('report.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.drill.checks.map((c) => (
            <tr key={c.id} data-testid={`report-check-${c.id}`} data-passed={String(c.passed)}>
              <th scope="row">{checkTitle(c)}</th>
              <td>
                <StatusBadge tone={c.passed ? 'ok' : 'danger'}>
                  {c.passed ? t('checks.pass') : t('checks.fail')}
                </StatusBadge>
              </td>
              <CheckDetail check={c} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/**
 * The report opened from the history: summary, checks, the PDF, how to verify it offline, and
 * the app's countersignature for a report the agent signed.
 */
export function ReportDialog() {
  const t = useT();
  const report = useDrills((s) => s.report);
  const navigate = useRoute((s) => s.navigate);
  const [busy, setBusy] = useState(false);
  // '' = the signed PDF of the bundle (German and English); de/en = a reading copy.
  const [pdfLanguage, setPdfLanguage] = useState<'' | 'de' | 'en'>('');
  const [saving, setSaving] = useState<'zip' | 'json' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const pdfButton = useRef<HTMLButtonElement>(null);
  const countersign = report?.status === 'ready' ? report.countersign : null;
  const countersigning = countersign?.status === 'busy';
  // A busy button is disabled and the Countersign button goes once it is done: either way focus
  // fell to <body>, so give it to the PDF button.
  useEffect(() => {
    if (!busy && !countersigning && document.activeElement === document.body) {
      pdfButton.current?.focus();
    }
  }, [busy, countersigning]);
  if (!report) return null;
  // Back to the drills page's address; the page closes the report when its address has none.
  const close = () => navigate({ name: 'drills', id: report.serverId });

  async function pdf() {
    if (!report) return;
    setBusy(true);
    setError(null);
    try {
      downloadPdf(
        await drillsStore
          .getState()
          .pdf(report.serverId, report.drillId, pdfLanguage === '' ? undefined : pdfLanguage),
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function save(format: 'zip' | 'json') {
    if (!report) return;
    setSaving(format);
    setError(null);
    try {
      const file = await call('reports.file', {
        serverId: report.serverId,
        drillId: report.drillId,
        format,
      });
      downloadFile(file, format === 'zip' ? 'application/zip' : 'application/json');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(null);
    }
  }

  const verify =
    report.status === 'ready' ? `kumiko report verify "${report.detail.entry.bundlePath}"` : '';
  return (
    <Dialog
      title={t('report.title', { drillId: report.drillId })}
      onCancel={close}
      size="wide"
      data-testid="drill-report"
      actions={
        <>
          {report.status === 'ready' ? (
            <Button
              ref={pdfButton}
              variant="primary"
              busy={busy}
              onClick={() => void pdf()}
              data-testid="report-pdf"
            >
              {busy ? t('report.pdfBusy') : t('report.pdf')}
            </Button>
          ) : null}
          {report.status === 'ready' ? (
            <>
              <Button
                busy={saving === 'zip'}
                onClick={() => void save('zip')}
                data-testid="report-zip"
              >
                {saving === 'zip' ? t('report.saveBusy') : t('report.saveZip')}
              </Button>
              <Button
                busy={saving === 'json'}
                onClick={() => void save('json')}
                data-testid="report-json"
              >
                {saving === 'json' ? t('report.saveBusy') : t('report.saveJson')}
              </Button>
            </>
          ) : null}
          {canCountersign(report) ? (
            <Button
              busy={countersigning}
              onClick={() =>
                void drillsStore.getState().countersign(report.serverId, report.drillId)
              }
              data-testid="report-countersign"
            >
              {countersigning ? t('report.countersignBusy') : t('report.countersign')}
            </Button>
          ) : null}
          <Button onClick={close}>{t('common.close')}</Button>
        </>
      }
    >
      {report.status === 'loading' ? <p className="muted">{t('report.loading')}</p> : null}
      {report.status === 'failed' ? <ErrorAlert error={report.error} /> : null}
      {report.status === 'ready' ? (
        <>
          <h3>{t('report.summary')}</h3>
          <Summary detail={report.detail} />
          <h3>{t('report.checks')}</h3>
          <Checks detail={report.detail} />
          <SelectField
            label={t('report.pdfLanguage')}
            hint={t('report.pdfLanguageHint')}
            value={pdfLanguage}
            onChange={(e) => setPdfLanguage(e.target.value as '' | 'de' | 'en')}
            data-testid="report-pdf-language"
          >
            <option value="">{t('report.pdfLanguage.signed')}</option>
            <option value="de">{t('report.pdfLanguage.de')}</option>
            <option value="en">{t('report.pdfLanguage.en')}</option>
          </SelectField>
          <p className="muted small report-verify">{t('report.verifyHint')}</p>
          <pre className="code-box mono small">{verify}</pre>
          <CopyButton text={verify} />
          <p>
            <Link href={routeToPath({ name: 'verify' })} data-testid="report-verify-link">
              {t('report.verifyLink')}
            </Link>
          </p>
        </>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      {countersign?.status === 'failed' ? (
        <ErrorAlert error={countersign.error} data-testid="report-countersign-error" />
      ) : null}
    </Dialog>
  );
}
