import { useState, type FormEvent } from 'react';
import type { RecordVersion, RollbackPreview, RowText } from '../../../shared/audit/rollback-plan';
import type { RecordMatches } from '../../../shared/audit/rollback-spec';
import type { RecordHistory, RollbackOutcome } from '../../../shared/contract/rollback';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, SelectField } from '../../components/Field';
import { call, toApiError, type ApiError } from '../../lib/api';
import { useServers } from '../../stores';
import { keyText, targetBefore, valueJson } from './record-text';
import { RecordVersions } from './RecordVersions';
import { RefusalAlert, RollbackPreviewPanel } from './RollbackPreviewPanel';
import { SubjectRestorePanel } from './SubjectRestorePanel';
import './record-history.css';

type Mode = 'key' | 'column';

interface Table {
  db: string;
  schema: string;
  table: string;
}

/**
 * One record's history and its rollback (issue 18 §2, §3): find it by key or by a column
 * value, see its versions with who, when and what changed, preview going back to before a
 * change (exact statements, diff to the current row), apply after a confirmation with a reason.
 * Everything runs through the server's agent; a refusal says why and what to do next.
 */
export function RecordHistoryPage({ id }: { id: string }) {
  const t = useT();
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const [form, setForm] = useState({ db: '', schema: 'public', table: '', column: '', value: '' });
  const [mode, setMode] = useState<Mode>('key');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState<'find' | 'history' | 'apply' | null>(null);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [matches, setMatches] = useState<RecordMatches | null>(null);
  const [record, setRecord] = useState<(Table & { key: RowText }) | null>(null);
  const [history, setHistory] = useState<RecordHistory | null>(null);
  const [preview, setPreview] = useState<RollbackPreview | null>(null);
  const [outcome, setOutcome] = useState<RollbackOutcome | null>(null);

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  async function openRecord(table: Table, key: RowText) {
    setBusy('history');
    setError(null);
    setPreview(null);
    setRecord({ ...table, key });
    try {
      setHistory(await call('rollback.history', { serverId: id, ...table, key }));
    } catch (err) {
      setHistory(null);
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  }

  async function onFind(event: FormEvent) {
    event.preventDefault();
    const { db, schema, table, column, value } = form;
    if (![db, schema, table, column, value].every((v) => v.trim() !== '')) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setOutcome(null);
    setMatches(null);
    setHistory(null);
    setRecord(null);
    setPreview(null);
    const where = { db: db.trim(), schema: schema.trim(), table: table.trim() };
    if (mode === 'key') {
      await openRecord(where, { [column.trim()]: valueJson(value) });
      return;
    }
    setBusy('find');
    setError(null);
    try {
      setMatches(
        await call('rollback.find', {
          serverId: id,
          ...where,
          column: column.trim(),
          value: valueJson(value),
        }),
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  }

  async function onPick(version: RecordVersion) {
    if (!record || !history) return;
    setPreviewing(version.id);
    setError(null);
    setOutcome(null);
    try {
      setPreview(
        await call('rollback.preview', {
          serverId: id,
          ...record,
          target: targetBefore(history.versions, version),
        }),
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setPreviewing(null);
    }
  }

  async function onApply(reason: string) {
    if (!record || !preview) return;
    setBusy('apply');
    setError(null);
    try {
      const result = await call('rollback.apply', { serverId: id, ...record, preview, reason });
      setOutcome(result);
      // Applied or refused, the shown history and preview are stale now: read the record again.
      await openRecord(record, record.key);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  }

  const table: Table = { db: form.db.trim(), schema: form.schema.trim(), table: form.table.trim() };
  const matchList = (rows: readonly RowText[], label: string, testId: string) =>
    rows.length === 0 ? null : (
      <div data-testid={testId}>
        <h3>{label}</h3>
        <ul className="record-matches">
          {rows.map((key) => (
            <li key={keyText(key)}>
              <Button variant="ghost" onClick={() => void openRecord(table, key)}>
                {t('records.open', { key: keyText(key) })}
              </Button>
            </li>
          ))}
        </ul>
      </div>
    );

  return (
    <section aria-labelledby="page-title" className="record-history-page">
      <h1 id="page-title" tabIndex={-1}>
        {t('records.title', { name: server?.name ?? '' })}
      </h1>
      <p>{t('records.intro')}</p>
      <form onSubmit={(e) => void onFind(e)} noValidate data-testid="record-find">
        <fieldset>
          <legend>{t('records.find.legend')}</legend>
          <Field label={t('records.db')} value={form.db} onChange={set('db')} name="db" />
          <Field
            label={t('records.schema')}
            value={form.schema}
            onChange={set('schema')}
            name="schema"
          />
          <Field
            label={t('records.table')}
            value={form.table}
            onChange={set('table')}
            name="table"
          />
          <SelectField
            label={t('records.mode')}
            value={mode}
            onChange={(e) => setMode(e.target.value as Mode)}
            name="mode"
          >
            <option value="key">{t('records.mode.key')}</option>
            <option value="column">{t('records.mode.column')}</option>
          </SelectField>
          <Field
            label={t('records.column')}
            hint={t(mode === 'key' ? 'records.column.hint.key' : 'records.column.hint.value')}
            value={form.column}
            onChange={set('column')}
            name="column"
          />
          <Field
            label={t('records.value')}
            hint={t('records.value.hint')}
            value={form.value}
            onChange={set('value')}
            name="value"
            maxLength={2000}
          />
          {missing ? <p className="field__error">{t('records.required')}</p> : null}
          <Button type="submit" variant="primary" busy={busy === 'find' || busy === 'history'}>
            {busy === 'find' || busy === 'history' ? t('records.finding') : t('records.find')}
          </Button>
        </fieldset>
      </form>

      {error ? <ErrorAlert error={error} data-testid="records-error" /> : null}

      {matches ? (
        <section aria-labelledby="record-matches" data-testid="record-matches">
          <h2 id="record-matches">{t('records.matches')}</h2>
          {matches.now.length + matches.before.length === 0 ? (
            <p>{t('records.matches.none')}</p>
          ) : null}
          {matchList(matches.now, t('records.matches.now'), 'matches-now')}
          {matchList(matches.before, t('records.matches.before'), 'matches-before')}
        </section>
      ) : null}

      {outcome?.applied === true ? (
        <Alert tone="success" data-testid="rollback-applied">
          {t('records.applied')}
        </Alert>
      ) : null}
      {outcome?.applied === false ? <RefusalAlert refusal={outcome.refusal} /> : null}

      {record && history ? (
        <section aria-labelledby="record-history" data-testid="record-history">
          <h2 id="record-history">{t('records.history', { key: keyText(record.key) })}</h2>
          {history.current === null ? <p>{t('records.current.deleted')}</p> : null}
          {history.versions.length === 0 ? (
            <p>{t('records.history.none')}</p>
          ) : (
            <RecordVersions
              versions={history.versions}
              busyId={previewing}
              onPick={(v) => void onPick(v)}
            />
          )}
        </section>
      ) : null}

      {preview && record ? (
        <RollbackPreviewPanel
          preview={preview}
          db={record.db}
          applying={busy === 'apply'}
          onApply={(reason) => void onApply(reason)}
        />
      ) : null}

      <SubjectRestorePanel serverId={id} />
    </section>
  );
}
