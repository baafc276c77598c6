import { useEffect, useState, type FormEvent } from 'react';
import {
  SubjectRestorePreview,
  type SubjectRestoreOutcome,
  type SubjectRestoreRefusal,
} from '../../../shared/contract/rollback';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, SelectField } from '../../components/Field';
import { JobFailedAlert, JobProgressBar } from '../../components/wizard/RunPanel';
import { call, toApiError, type ApiError } from '../../lib/api';
import { jobsStore, useJobs } from '../../stores';
import { jobPhase } from '../jobs/job-words';
import { FieldTable } from './FieldTable';
import { momentIso } from './moment-input';
import { ReasonDialog } from './ReasonDialog';
import { subjectRefusalMessage } from './subject-refusal-message';
import { keyText } from './record-text';

type Source = 'map' | 'table';

/** A subject refusal as the catalog's sentence, with what to do next. */
function SubjectRefusal({ refusal }: { refusal: SubjectRestoreRefusal }) {
  const t = useT();
  const { key, params } = subjectRefusalMessage(refusal);
  const text = t(key, params);
  return (
    <Alert tone="danger" title={t('records.subject.refused')} data-testid="subject-refusal">
      <p data-refusal={refusal.code}>{text}</p>
    </Alert>
  );
}

/**
 * One customer as of a moment (issue 18 §4): the saved subject map or one table's record, the
 * subject's value and a second (date and time fields, the browser's time zone, shown with its
 * offset). It says first that a point-in-time restore runs (minutes), shows its progress, then
 * the changes grouped by table, and applies after a confirmation with a reason.
 */
export function SubjectRestorePanel({ serverId }: { serverId: string }) {
  const t = useT();
  const [form, setForm] = useState({ db: '', root: '', value: '', date: '', time: '' });
  const [source, setSource] = useState<Source>('map');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState(false);
  const [outcome, setOutcome] = useState<SubjectRestoreOutcome | null>(null);
  const job = useJobs((s) => (jobId ? (s.jobs[jobId] ?? null) : null));

  // The job may end before its last event reaches the page: ask main once it has.
  useEffect(() => {
    if (jobId) void jobsStore.getState().waitFor(jobId);
  }, [jobId]);

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));
  const at = momentIso(form.date, form.time);
  const running = job !== null && (job.state === 'queued' || job.state === 'running');
  const parsed = job?.state === 'succeeded' ? SubjectRestorePreview.safeParse(job.result) : null;
  const preview = parsed?.success ? parsed.data : null;
  const changes = preview?.tables.reduce((n, x) => n + x.changes.length, 0) ?? 0;

  async function onStart(event: FormEvent) {
    event.preventDefault();
    const fields = [form.db, form.value, source === 'table' ? form.root : 'map'];
    if (!fields.every((v) => v.trim() !== '') || !at) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setError(null);
    setOutcome(null);
    try {
      const started = await call('rollback.subject.start', {
        serverId,
        database: form.db.trim(),
        value: form.value.trim(),
        at,
        ...(source === 'table' ? { root: form.root.trim() } : {}),
      });
      setJobId(started.jobId);
    } catch (err) {
      setError(toApiError(err));
    }
  }

  async function onApply(reason: string) {
    if (!preview) return;
    setApplying(true);
    setError(null);
    try {
      setOutcome(
        await call('rollback.subject.apply', {
          serverId,
          previewId: preview.previewId,
          reason,
        }),
      );
      setJobId(null);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setApplying(false);
      setConfirming(false);
    }
  }

  return (
    <section aria-labelledby="subject-restore" data-testid="subject-restore">
      <h2 id="subject-restore">{t('records.subject.title')}</h2>
      <p>{t('records.subject.intro')}</p>
      <Alert tone="info" data-testid="subject-duration">
        {t('records.subject.duration')}
      </Alert>
      <form onSubmit={(e) => void onStart(e)} noValidate data-testid="subject-form">
        <fieldset>
          <legend>{t('records.subject.legend')}</legend>
          <Field label={t('records.db')} value={form.db} onChange={set('db')} name="subject-db" />
          <SelectField
            label={t('records.subject.source')}
            value={source}
            onChange={(e) => setSource(e.target.value as Source)}
            name="subject-source"
          >
            <option value="map">{t('records.subject.source.map')}</option>
            <option value="table">{t('records.subject.source.table')}</option>
          </SelectField>
          {source === 'table' ? (
            <Field
              label={t('records.subject.root')}
              hint={t('records.subject.root.hint')}
              value={form.root}
              onChange={set('root')}
              name="subject-root"
            />
          ) : null}
          <Field
            label={t('records.subject.value')}
            hint={t('records.subject.value.hint')}
            value={form.value}
            onChange={set('value')}
            name="subject-value"
            maxLength={2000}
          />
          <Field
            label={t('records.subject.date')}
            type="date"
            value={form.date}
            onChange={set('date')}
            name="subject-date"
          />
          <Field
            label={t('records.subject.time')}
            hint={at ? t('records.subject.moment', { at }) : undefined}
            type="time"
            step={1}
            value={form.time}
            onChange={set('time')}
            name="subject-time"
          />
          {missing ? <p className="field__error">{t('records.subject.required')}</p> : null}
          <Button type="submit" variant="primary" busy={running} disabled={running}>
            {running ? t('records.subject.running') : t('records.subject.start')}
          </Button>
        </fieldset>
      </form>

      {error ? <ErrorAlert error={error} data-testid="subject-error" /> : null}
      {running ? (
        <JobProgressBar
          job={job}
          label={t('records.subject.progress')}
          valueText={jobPhase(t, job) ?? undefined}
        />
      ) : null}
      {job?.state === 'failed' ? (
        <JobFailedAlert job={job} title={t('records.subject.failed')} testId="subject-failed" />
      ) : null}

      {outcome?.applied === true ? (
        <Alert tone="success" data-testid="subject-applied">
          {t('records.subject.applied', {
            inserted: outcome.inserted,
            updated: outcome.updated,
            deleted: outcome.deleted,
          })}
        </Alert>
      ) : null}
      {outcome?.applied === false ? <SubjectRefusal refusal={outcome.refusal} /> : null}

      {preview ? (
        <section aria-labelledby="subject-preview" data-testid="subject-preview">
          <h3 id="subject-preview">{t('records.subject.preview', { at: preview.at })}</h3>
          {preview.refusal ? <SubjectRefusal refusal={preview.refusal} /> : null}
          {preview.scratchId ? <p>{t('records.subject.kept', { id: preview.scratchId })}</p> : null}
          {preview.tables.map((table) => (
            <div key={table.table} data-testid="subject-table" data-table={table.table}>
              <h4>
                {t('records.subject.table', {
                  table: table.table,
                  inserts: table.inserts,
                  updates: table.updates,
                  deletes: table.deletes,
                })}
              </h4>
              {table.changes.map((c) => (
                <FieldTable
                  key={`${c.action} ${keyText(c.key)}`}
                  caption={t(`records.subject.action.${c.action}`, { key: keyText(c.key) })}
                  left="records.col.current"
                  right="records.subject.col.then"
                  rows={c.diff.map((d) => ({ column: d.column, left: d.current, right: d.target }))}
                />
              ))}
            </div>
          ))}
          {!preview.refusal && changes === 0 ? <p>{t('records.subject.nothing')}</p> : null}
          {!preview.refusal && changes > 0 ? (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              {t('records.subject.apply')}
            </Button>
          ) : null}
        </section>
      ) : null}

      {confirming && preview ? (
        <ReasonDialog
          title={t('records.subject.confirm.title')}
          applyLabel={t('records.subject.confirm.apply')}
          busy={applying}
          onCancel={() => setConfirming(false)}
          onConfirm={(reason) => void onApply(reason)}
          data-testid="subject-confirm"
        >
          <p>{t('records.subject.confirm.body', { db: preview.database, changes })}</p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}
