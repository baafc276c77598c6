import { useState, type FormEvent } from 'react';
import { MAX_UPLOAD_BASE64, type ReportVerification } from '../../../shared/contract/reports';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, TextAreaField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { call, toApiError, type ApiError } from '../../lib/api';
import { formatBytes, formatDateTime } from '../../lib/format';
import { base64OfDataUrl, findingsOf, verdictOf } from './report-verdict';
import { TableWrap } from '../../components/TableWrap';

/** The largest zip the console takes (base64 is 4/3 of the bytes). */
const MAX_FILE_BYTES = Math.floor((MAX_UPLOAD_BASE64 / 4) * 3);

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(base64OfDataUrl(String(reader.result)));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function Verdict({ result }: { result: ReportVerification }) {
  const t = useT();
  const lang = useLang();
  const verdict = verdictOf(result.status);
  const findings = findingsOf(result);
  return (
    <section
      aria-labelledby="verify-verdict"
      aria-live="polite"
      data-testid="verify-result"
      data-status={result.status}
    >
      <h2 id="verify-verdict">
        <StatusBadge tone={verdict.tone}>{t(verdict.badge)}</StatusBadge>{' '}
        <span className="mono small">{result.path}</span>
      </h2>
      <p>{t(verdict.sentence)}</p>
      <TableWrap label={t('verify.bundles')}>
        <table className="table" data-testid="verify-bundles">
          <caption>{t('verify.bundles')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('verify.col.drill')}</th>
              <th scope="col">{t('verify.col.result')}</th>
              <th scope="col">{t('verify.col.signer')}</th>
              <th scope="col">{t('verify.col.state')}</th>
            </tr>
          </thead>
          <tbody>
            {result.bundles.map((b) => (
              <tr key={b.location} data-testid="verify-bundle" data-ok={String(b.ok)}>
                <th scope="row">
                  {b.drillId ? (
                    <>
                      <span className="mono">{b.drillId}</span>
                      {b.serverName ? ` (${b.serverName})` : ''}
                      {b.startedAt ? (
                        <span className="muted small"> {formatDateTime(b.startedAt, lang)}</span>
                      ) : null}
                    </>
                  ) : (
                    t('verify.unreadable')
                  )}
                </th>
                <td>
                  {b.passed === null ? null : (
                    <StatusBadge tone={b.passed ? 'ok' : 'danger'}>
                      {b.passed ? t('drills.passed') : t('drills.failed')}
                    </StatusBadge>
                  )}
                </td>
                <td>
                  {b.signatures.length === 0 ? t('verify.noSignature') : null}
                  <ul className="plain-list">
                    {b.signatures.map((s) => (
                      <li key={s.file} data-testid="verify-signature">
                        {t(
                          s.role === 'primary'
                            ? 'verify.sig.primary'
                            : 'verify.sig.countersignature',
                        )}{' '}
                        <span className="mono">{s.principal ?? '?'}</span>{' '}
                        <span className="mono small" data-testid="verify-fingerprint">
                          {s.fingerprint ?? ''}
                        </span>{' '}
                        <span className="muted small">
                          ({s.valid ? t(`verify.sig.${s.trust}`) : t('verify.sig.invalid')})
                        </span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <StatusBadge tone={b.ok ? 'ok' : 'danger'}>
                    {b.ok ? t('verify.badge.valid') : t('verify.badge.invalid')}
                  </StatusBadge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {result.chains.map((c) => (
        <p key={c.serverId} data-testid="verify-chain">
          {t('verify.chain', {
            count: c.drillIds.length,
            state: t(c.ok ? 'verify.chain.intact' : 'verify.chain.broken'),
          })}
        </p>
      ))}
      {findings.length > 0 ? (
        <>
          <h3>{t('verify.problems')}</h3>
          <ul data-testid="verify-findings">
            {findings.map((f, i) => (
              <li key={i} data-code={f.code}>
                {f.file
                  ? t('verify.problemIn', { file: f.file, text: t(f.key, { code: f.code }) })
                  : t(f.key, { code: f.code })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/**
 * Verify a drill report bundle the auditor picks: the same verification as `kumiko report
 * verify`, against the keys pinned at install (and keys the auditor adds), never the bundle's own.
 */
export function ReportVerifyPage() {
  const t = useT();
  const lang = useLang();
  const [file, setFile] = useState<File | null>(null);
  const [keys, setKeys] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ReportVerification | null>(null);

  async function verify(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setError(null);
    setResult(null);
    if (!file) return setProblem(t('verify.noFile'));
    if (file.size > MAX_FILE_BYTES) {
      return setProblem(t('verify.tooLarge', { size: formatBytes(MAX_FILE_BYTES, lang) }));
    }
    setBusy(true);
    try {
      let base64: string;
      try {
        base64 = await readAsBase64(file);
      } catch {
        return setProblem(t('verify.readFailed'));
      }
      const trimmed = keys.trim();
      setResult(
        await call('reports.verifyFile', {
          fileName: file.name,
          base64,
          ...(trimmed ? { keys: trimmed } : {}),
        }),
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('verify.title')}
        </h1>
      </div>
      <p>{t('verify.intro')}</p>
      <form className="card" onSubmit={(e) => void verify(e)} data-testid="verify-form">
        <Field
          label={t('verify.file')}
          type="file"
          accept=".zip,application/zip"
          error={problem ?? undefined}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          data-testid="verify-file"
        />
        <TextAreaField
          label={t('verify.keys')}
          hint={t('verify.keysHint')}
          rows={3}
          value={keys}
          onChange={(e) => setKeys(e.target.value)}
          spellCheck={false}
        />
        <Button type="submit" variant="primary" busy={busy} data-testid="verify-run">
          {busy ? t('verify.busy') : t('verify.run')}
        </Button>
      </form>
      {error ? <ErrorAlert error={error} /> : null}
      {result ? <Verdict result={result} /> : null}
    </section>
  );
}
