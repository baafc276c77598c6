import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { GdprRequest, GdprRequestKind } from '../../../shared/contract/gdpr-requests';
import { daysLeft, localDay } from '../../../shared/gdpr/request-deadline';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, SelectField } from '../../components/Field';
import { TableWrap } from '../../components/TableWrap';
import { api } from '../../lib/api';
import { toApiError, type ApiError } from '../../lib/api-client';
import { downloadFile } from '../drills/pdf-download';
import { formatDay } from './format-day';
import './gdpr.css';

type Filter = 'open' | 'overdue' | 'done' | 'all';
const FILTERS: Filter[] = ['open', 'overdue', 'done', 'all'];

const isDone = (r: GdprRequest) => r.status === 'answered' || r.status === 'erased';

function matches(filter: Filter, r: GdprRequest, today: string): boolean {
  if (filter === 'all') return true;
  if (filter === 'done') return isDone(r);
  if (filter === 'overdue') return !isDone(r) && daysLeft(r.deadline, today) < 0;
  return !isDone(r);
}

/**
 * The DPO's requests for this server (issue 17 §4): record one (kind, database, the person's
 * key, the day received, a note), see them by deadline with the days left (overdue in red),
 * filter, pick one to work on (export or erasure below act for it), and save its evidence.
 */
export function RequestsCard({
  serverId,
  selected,
  version,
  onSelect,
}: {
  serverId: string;
  selected: string | null;
  /** Bumped by the page when an export or erasure changed a request. */
  version: number;
  onSelect(request: GdprRequest): void;
}) {
  const t = useT();
  const lang = useLang();
  const [requests, setRequests] = useState<GdprRequest[] | null>(null);
  const [filter, setFilter] = useState<Filter>('open');
  const [kind, setKind] = useState<GdprRequestKind>('access');
  const [database, setDatabase] = useState('');
  const [subject, setSubject] = useState('');
  const [receivedOn, setReceivedOn] = useState(localDay());
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      setRequests((await api().call('gdpr.requests.list', { serverId })).requests);
    } catch (err) {
      setError(toApiError(err));
    }
  }, [serverId]);

  useEffect(() => {
    void load();
  }, [load, version]);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!database.trim() || !subject.trim() || !receivedOn) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      await api().call('gdpr.requests.add', {
        serverId,
        kind,
        database: database.trim(),
        subject: subject.trim(),
        receivedOn,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setSubject('');
      setNote('');
      await load();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function evidence(request: GdprRequest, what: 'export' | 'confirmation') {
    setError(null);
    try {
      const file = await api().call('gdpr.requests.evidence', { id: request.id, what });
      downloadFile(file, 'application/zip');
    } catch (err) {
      setError(toApiError(err));
    }
  }

  const today = localDay();
  const shown = (requests ?? []).filter((r) => matches(filter, r, today));
  return (
    <div className="card" data-testid="gdpr-requests">
      <h2>{t('gdpr.requests.title')}</h2>
      <p className="muted">{t('gdpr.requests.intro')}</p>
      <form onSubmit={(e) => void add(e)} data-testid="gdpr-request-form">
        <SelectField
          label={t('gdpr.requests.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as GdprRequestKind)}
          name="kind"
        >
          <option value="access">{t('gdpr.requests.kind.access')}</option>
          <option value="erasure">{t('gdpr.requests.kind.erasure')}</option>
        </SelectField>
        <Field
          label={t('gdpr.subject.database')}
          value={database}
          onChange={(e) => setDatabase(e.target.value)}
          name="request-database"
          autoComplete="off"
        />
        <Field
          label={t('gdpr.subject.key')}
          hint={t('gdpr.subject.keyHint')}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          name="request-subject"
          autoComplete="off"
        />
        <Field
          label={t('gdpr.requests.received')}
          hint={t('gdpr.requests.receivedHint')}
          type="date"
          value={receivedOn}
          onChange={(e) => setReceivedOn(e.target.value)}
          name="received"
        />
        <Field
          label={t('gdpr.requests.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          name="note"
          autoComplete="off"
        />
        {missing ? (
          <Alert
            tone="warning"
            title={t('gdpr.requests.missing')}
            data-testid="gdpr-request-missing"
          />
        ) : null}
        <Button type="submit" busy={busy}>
          {t('gdpr.requests.add')}
        </Button>
      </form>

      <div className="gdpr-filters" role="group" aria-label={t('gdpr.requests.filter')}>
        {FILTERS.map((f) => (
          <Button
            key={f}
            variant={filter === f ? 'primary' : 'secondary'}
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {t(`gdpr.requests.filter.${f}`)}
          </Button>
        ))}
      </div>
      {error ? <ErrorAlert error={error} data-testid="gdpr-requests-error" /> : null}
      {requests !== null && shown.length === 0 ? (
        <p className="muted" data-testid="gdpr-requests-empty">
          {t('gdpr.requests.empty')}
        </p>
      ) : null}
      {shown.length > 0 ? (
        <TableWrap label={t('gdpr.requests.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('gdpr.requests.kind')}</th>
                <th scope="col">{t('gdpr.subject.key')}</th>
                <th scope="col">{t('gdpr.requests.received')}</th>
                <th scope="col">{t('gdpr.requests.deadline')}</th>
                <th scope="col">{t('gdpr.requests.status')}</th>
                <th scope="col">{t('gdpr.requests.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const left = daysLeft(r.deadline, today);
                const overdue = !isDone(r) && left < 0;
                return (
                  <tr
                    key={r.id}
                    data-testid="gdpr-request"
                    data-status={r.status}
                    data-overdue={overdue}
                    className={r.id === selected ? 'gdpr-request--selected' : undefined}
                  >
                    <th scope="row">
                      {t(`gdpr.requests.kind.${r.kind}`)}
                      {r.note ? <div className="muted">{r.note}</div> : null}
                    </th>
                    <td>
                      {r.subject} ({r.database})
                    </td>
                    <td>{formatDay(r.receivedOn, lang)}</td>
                    <td className={overdue ? 'gdpr-overdue' : undefined}>
                      {formatDay(r.deadline, lang)}{' '}
                      {isDone(r)
                        ? null
                        : overdue
                          ? t('gdpr.requests.overdue', { days: -left })
                          : t('gdpr.requests.daysLeft', { days: left })}
                    </td>
                    <td>{t(`gdpr.requests.status.${r.status}`)}</td>
                    <td>
                      <div className="page-head__actions">
                        {isDone(r) ? null : (
                          <Button onClick={() => onSelect(r)} aria-pressed={r.id === selected}>
                            {t('gdpr.requests.workOn')}
                          </Button>
                        )}
                        {r.export ? (
                          <Button onClick={() => void evidence(r, 'export')}>
                            {t('gdpr.requests.evidence.export')}
                          </Button>
                        ) : null}
                        {r.confirmation ? (
                          <Button onClick={() => void evidence(r, 'confirmation')}>
                            {t('gdpr.requests.evidence.confirmation')}
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </div>
  );
}
