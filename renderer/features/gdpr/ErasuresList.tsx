import { useEffect, useState } from 'react';
import type { GdprErasuresResult } from '../../../shared/contract/gdpr';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TableWrap } from '../../components/TableWrap';
import { api } from '../../lib/api';
import { toApiError, type ApiError } from '../../lib/api-client';
import { formatDateTime } from '../../lib/format';
import { formatDay } from './format-day';

/**
 * The server's erasures from its ledger: when each one's hard delete is due, or that it is
 * final (retention rolled over); refused ledger entries are named. `version` reloads it.
 */
export function ErasuresList({ serverId, version }: { serverId: string; version: number }) {
  const t = useT();
  const lang = useLang();
  const [result, setResult] = useState<GdprErasuresResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    api()
      .call('gdpr.erasures', { serverId })
      .then(
        (value) => current && setResult(value),
        (err: unknown) => current && setError(toApiError(err)),
      );
    return () => {
      current = false;
    };
  }, [serverId, version]);

  return (
    <div className="card" data-testid="gdpr-erasures">
      <h2>{t('gdpr.erasures.title')}</h2>
      {error ? <ErrorAlert error={error} data-testid="gdpr-erasures-error" /> : null}
      {result === null && !error ? <p className="muted">{t('common.loading')}</p> : null}
      {result?.refused.map((r) => (
        <Alert
          key={r.key}
          tone="danger"
          title={t('gdpr.erasures.refused', { key: r.key, why: r.why })}
        />
      ))}
      {result && result.erasures.length === 0 ? (
        <p className="muted">{t('gdpr.erasures.empty')}</p>
      ) : null}
      {result && result.erasures.length > 0 ? (
        <TableWrap label={t('gdpr.erasures.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('gdpr.erasures.when')}</th>
                <th scope="col">{t('gdpr.erasures.database')}</th>
                <th scope="col">{t('gdpr.erasures.tables')}</th>
                <th scope="col">{t('gdpr.erasures.due')}</th>
                <th scope="col">{t('gdpr.erasures.state')}</th>
              </tr>
            </thead>
            <tbody>
              {result.erasures.map((e) => (
                <tr key={e.erasureId} data-testid="gdpr-erasure" data-final={e.final !== null}>
                  <td>{formatDateTime(e.erasedAt, lang)}</td>
                  <td>{e.database}</td>
                  <td>{e.tables.join(', ')}</td>
                  <td>{formatDay(e.hardDeleteDue, lang)}</td>
                  <td>
                    {e.final
                      ? t('gdpr.erasures.final', { at: formatDateTime(e.final.at, lang) })
                      : t('gdpr.erasures.pending')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </div>
  );
}
