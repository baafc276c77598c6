import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DrillOverview } from '../../../shared/contract/drill';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CheckboxField, Field, SelectField } from '../../components/Field';
import { ErrorAlert } from '../../components/ErrorAlert';
import { drillsStore, useDrills } from '../../stores';
import {
  emptySmokeCheck,
  INTERVAL_UNITS,
  MAX_SMOKE_CHECKS,
  parseInterval,
  smokeCheckProblems,
  toIntervalDraft,
  toSmokeCheckDraft,
  toSmokeChecks,
  type IntervalDraft,
  type IntervalUnit,
  type SmokeCheckDraft,
} from '../../stores/drills-model';
import { smokeCheckNameId, SmokeCheckFields } from './SmokeCheckFields';

function IntervalFields({
  draft,
  invalid,
  onChange,
}: {
  draft: IntervalDraft;
  invalid: boolean;
  onChange(draft: IntervalDraft): void;
}) {
  const t = useT();
  return (
    <>
      <CheckboxField
        label={t('drillSettings.enabled')}
        checked={draft.enabled}
        onChange={(e) => onChange({ ...draft, enabled: e.target.checked })}
      />
      {draft.enabled ? (
        <div className="form__row form__row--2 interval-fields">
          <Field
            label={t('drillSettings.every')}
            inputMode="numeric"
            value={draft.amount}
            hint={invalid ? undefined : t('drillSettings.intervalHint')}
            error={invalid ? t('drillSettings.intervalInvalid') : undefined}
            onChange={(e) => onChange({ ...draft, amount: e.target.value })}
            data-testid="drill-interval-amount"
          />
          <SelectField
            label={t('drillSettings.unit')}
            value={draft.unit}
            onChange={(e) => onChange({ ...draft, unit: e.target.value as IntervalUnit })}
          >
            {INTERVAL_UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`drillSettings.unit.${u}`)}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
    </>
  );
}

/**
 * The drill schedule, pg_amcheck's mode and the smoke checks, edited here and saved into the agent's config on the
 * server (drill.settings.save). Problems show once the admin tries to save.
 */
export function SettingsEditor({ overview }: { overview: DrillOverview }) {
  const t = useT();
  const save = useDrills((s) => s.servers[overview.serverId]?.settings) ?? { status: 'idle' };
  const [interval, setIntervalDraft] = useState(() => toIntervalDraft(overview.intervalSeconds));
  const [checks, setChecks] = useState<SmokeCheckDraft[]>(() =>
    (overview.smokeChecks ?? []).map(toSmokeCheckDraft),
  );
  const [deepIndexCheck, setDeepIndexCheck] = useState(overview.amcheckHeapAllIndexed ?? false);
  const [tried, setTried] = useState(false);
  const focusAfter = useRef<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!focusAfter.current) return;
    const target =
      focusAfter.current === 'add'
        ? addButton.current
        : document.getElementById(focusAfter.current);
    focusAfter.current = null;
    target?.focus();
  });

  const seconds = parseInterval(interval);
  const valid = toSmokeChecks(checks);

  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (seconds === null || valid === null) return;
    void drillsStore.getState().saveSettings(overview.serverId, {
      intervalSeconds: seconds,
      smokeChecks: valid,
      amcheckHeapAllIndexed: deepIndexCheck,
    });
  }

  function add() {
    focusAfter.current = smokeCheckNameId(checks.length);
    setChecks([...checks, emptySmokeCheck()]);
  }

  function remove(index: number) {
    focusAfter.current = 'add';
    setChecks(checks.filter((_, i) => i !== index));
  }

  return (
    <form className="card form" onSubmit={submit} noValidate data-testid="drill-settings">
      <h2>{t('drillSettings.title')}</h2>
      <p className="muted">{t('drillSettings.intro')}</p>
      {overview.settingsError ? <Alert tone="warning">{t('drillSettings.unknown')}</Alert> : null}
      <IntervalFields
        draft={interval}
        invalid={tried && seconds === null}
        onChange={setIntervalDraft}
      />

      <h3>{t('drillSettings.databaseCheck')}</h3>
      <CheckboxField
        label={t('drillSettings.deepIndexCheck')}
        hint={t('drillSettings.deepIndexCheckHint')}
        checked={deepIndexCheck}
        onChange={(e) => setDeepIndexCheck(e.target.checked)}
        data-testid="drill-deep-index-check"
      />

      <h3>{t('drillSettings.checks')}</h3>
      {checks.length === 0 ? <p className="muted">{t('drillSettings.none')}</p> : null}
      {checks.map((draft, i) => (
        <SmokeCheckFields
          key={i}
          index={i}
          draft={draft}
          problems={tried ? smokeCheckProblems(draft) : {}}
          onChange={(next) => setChecks(checks.map((c, j) => (j === i ? next : c)))}
          onRemove={() => remove(i)}
        />
      ))}
      <div className="actions">
        <Button ref={addButton} onClick={add} disabled={checks.length >= MAX_SMOKE_CHECKS}>
          {t('drillSettings.add')}
        </Button>
      </div>
      {checks.length >= MAX_SMOKE_CHECKS ? (
        <p className="muted small">{t('drillSettings.tooMany')}</p>
      ) : null}

      {tried && (seconds === null || valid === null) ? (
        <Alert tone="danger" data-testid="drill-settings-invalid">
          {t('drillSettings.invalid')}
        </Alert>
      ) : null}
      {save.status === 'failed' ? <ErrorAlert error={save.error} /> : null}
      {save.status === 'saved' ? (
        <Alert tone="success" data-testid="drill-settings-saved">
          {t(`drillSettings.saved.${save.result.scheduler}`)}
        </Alert>
      ) : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={save.status === 'saving'}>
          {save.status === 'saving' ? t('drillSettings.saving') : t('drillSettings.save')}
        </Button>
      </div>
    </form>
  );
}
