import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { StorageCheckReport, StorageTarget } from '../../../shared/contract/storage';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CheckboxField, Field, TextAreaField } from '../../components/Field';
import { toApiError, type ApiError } from '../../lib/api-client';
import { storageStore } from '../../stores';
import {
  EMPTY_STORAGE_FIELDS,
  fieldsFromTarget,
  toStorageDraft,
  type StorageFields,
} from '../../stores/storage';
import { FailedReportAlert, StorageRefusalAlert } from './StorageRefusalAlert';
import { StorageReportView } from './StorageReportView';

/** Matches the contract's limit on caCertificate. */
const MAX_CA_CHARS = 20_000;

type Outcome =
  | { kind: 'none' }
  | { kind: 'report'; report: StorageCheckReport }
  | { kind: 'error'; error: ApiError }
  | { kind: 'saved'; target: StorageTarget };

export interface StorageFormProps {
  serverId: string;
  /** Prefills endpoint, bucket, region and the own-storage mark (never the keys). */
  initial?: StorageTarget | null;
  onSaved?(target: StorageTarget): void;
}

/**
 * The off-site bucket: endpoint, bucket, region and keys, checked by main (EU, TLS, location,
 * probe, versioning, Object Lock) before it may be saved. The secret key is a password input,
 * is never shown again, and is cleared once saved.
 */
export function StorageForm({ serverId, initial, onSaved }: StorageFormProps) {
  const t = useT();
  const [fields, setFields] = useState<StorageFields>(
    initial ? fieldsFromTarget(initial) : EMPTY_STORAGE_FIELDS,
  );
  const [busy, setBusy] = useState<'check' | 'save' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [fileError, setFileError] = useState(false);

  function set<K extends keyof StorageFields>(key: K, value: StorageFields[K]) {
    setFields((f) => ({ ...f, [key]: value }));
    // A report for other input would mislead.
    setOutcome((o) => (o.kind === 'none' ? o : { kind: 'none' }));
  }

  async function readCaFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileError(false);
    if (!file) return;
    try {
      if (file.size > MAX_CA_CHARS) throw new Error('too large');
      const text = await file.text();
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not a PEM certificate');
      set('caCertificate', text.trim() + '\n');
    } catch {
      setFileError(true);
    } finally {
      event.target.value = '';
    }
  }

  async function check(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (busy) return;
    setBusy('check');
    setOutcome({ kind: 'none' });
    try {
      const report = await storageStore.getState().check(toStorageDraft(fields));
      setOutcome({ kind: 'report', report });
    } catch (err) {
      setOutcome({ kind: 'error', error: toApiError(err) });
    } finally {
      setBusy(null);
    }
  }

  async function save() {
    if (busy) return;
    setBusy('save');
    setOutcome({ kind: 'none' });
    try {
      const target = await storageStore.getState().save(serverId, toStorageDraft(fields));
      setFields((f) => ({ ...f, secretAccessKey: '', restoreSecretAccessKey: '' }));
      setOutcome({ kind: 'saved', target });
      onSaved?.(target);
    } catch (err) {
      setOutcome({ kind: 'error', error: toApiError(err) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void check(e)} data-testid="storage-form">
      <Field
        label={t('storage.endpoint')}
        hint={t('storage.endpointHint')}
        type="url"
        value={fields.endpoint}
        onChange={(e) => set('endpoint', e.target.value)}
        required
        autoComplete="off"
        spellCheck={false}
        className="mono"
        placeholder="https://s3.eu-central-1.amazonaws.com"
      />
      <div className="form__row form__row--2">
        <Field
          label={t('storage.bucket')}
          value={fields.bucket}
          onChange={(e) => set('bucket', e.target.value)}
          required
          autoComplete="off"
          spellCheck={false}
          className="mono"
        />
        <Field
          label={t('storage.region')}
          value={fields.region}
          onChange={(e) => set('region', e.target.value)}
          required
          autoComplete="off"
          spellCheck={false}
          className="mono"
          placeholder="eu-central-1"
        />
      </div>
      {initial ? (
        <p className="muted">{t('storage.keysAgain', { hint: initial.accessKeyHint })}</p>
      ) : null}
      <div className="form__row form__row--2">
        <Field
          label={t('storage.accessKeyId')}
          value={fields.accessKeyId}
          onChange={(e) => set('accessKeyId', e.target.value)}
          required
          autoComplete="off"
          spellCheck={false}
          className="mono"
        />
        <Field
          label={t('storage.secretAccessKey')}
          hint={t('storage.secretHint')}
          type="password"
          value={fields.secretAccessKey}
          onChange={(e) => set('secretAccessKey', e.target.value)}
          required
          autoComplete="new-password"
          spellCheck={false}
        />
      </div>

      <fieldset className="form__group" data-testid="restore-key">
        <legend>{t('storage.restoreKey')}</legend>
        <p className="muted">
          {initial?.restoreKeyHint
            ? t('storage.restoreKeyAgain', { hint: initial.restoreKeyHint })
            : t('storage.restoreKeyHint')}
        </p>
        <div className="form__row form__row--2">
          <Field
            label={t('storage.restoreAccessKeyId')}
            value={fields.restoreAccessKeyId}
            onChange={(e) => set('restoreAccessKeyId', e.target.value)}
            autoComplete="off"
            spellCheck={false}
            className="mono"
          />
          <Field
            label={t('storage.restoreSecretAccessKey')}
            type="password"
            value={fields.restoreSecretAccessKey}
            onChange={(e) => set('restoreSecretAccessKey', e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
          />
        </div>
      </fieldset>

      <CheckboxField
        label={t('storage.ownStorage')}
        hint={t('storage.ownStorageHint')}
        checked={fields.ownStorage}
        onChange={(e) => set('ownStorage', e.target.checked)}
      />

      <TextAreaField
        label={t('storage.ca')}
        hint={t('storage.caHint')}
        value={fields.caCertificate}
        onChange={(e) => set('caCertificate', e.target.value)}
        rows={4}
        maxLength={MAX_CA_CHARS}
        spellCheck={false}
        autoComplete="off"
        className="mono"
        placeholder="-----BEGIN CERTIFICATE-----"
      />
      <Field
        label={t('storage.caFile')}
        type="file"
        accept=".pem,.crt,.cer"
        onChange={(e) => void readCaFile(e)}
      />
      {fileError ? <Alert tone="warning">{t('storage.caFileError')}</Alert> : null}

      <div className="actions">
        <Button type="submit" variant="secondary" busy={busy === 'check'}>
          {busy === 'check' ? t('storage.checking') : t('storage.check')}
        </Button>
        <Button variant="primary" busy={busy === 'save'} onClick={() => void save()}>
          {busy === 'save' ? t('storage.saving') : t('storage.save')}
        </Button>
      </div>

      <div aria-live="polite" className="storage-outcome">
        {outcome.kind === 'report' ? (
          <>
            {outcome.report.passed && outcome.report.protection === 'exposed' ? (
              <Alert
                tone="danger"
                title={t('storage.protection.exposedTitle')}
                data-testid="storage-protection-exposed"
              >
                <p>{t('storage.protection.exposedText')}</p>
              </Alert>
            ) : outcome.report.passed && outcome.report.protection === 'warning' ? (
              <Alert
                tone="warning"
                title={t('storage.protection.warningTitle')}
                data-testid="storage-protection-warning"
              >
                <p>{t('storage.protection.warningText')}</p>
              </Alert>
            ) : outcome.report.passed ? (
              <Alert
                tone="success"
                title={t('storage.checkPassed')}
                data-testid="storage-check-passed"
              >
                <p>{t('storage.checkPassedText')}</p>
              </Alert>
            ) : (
              <FailedReportAlert report={outcome.report} />
            )}
            <StorageReportView report={outcome.report} />
          </>
        ) : null}
        {outcome.kind === 'error' ? <StorageRefusalAlert error={outcome.error} /> : null}
        {outcome.kind === 'saved' ? (
          <Alert tone="success" title={t('storage.saved')} data-testid="storage-saved">
            <p>{t('storage.savedText', { hint: outcome.target.accessKeyHint })}</p>
          </Alert>
        ) : null}
      </div>
    </form>
  );
}
