import { useEffect, useState } from 'react';
import { useT } from '../../app/i18n';
import { Field } from '../../components/Field';
import { LIMITS } from '../../stores/agent-install-model';
import { errorText, fieldDomId, type DraftSectionProps } from './draft-fields';

/** When the daily recovery point is taken (and, under Advanced, shorter intervals). */
export function ScheduleFields({ draft, errors, update }: DraftSectionProps) {
  const t = useT();
  const [advanced, setAdvanced] = useState(false);
  // An error inside must be visible (and focusable from the error summary).
  const advancedInvalid = Boolean(errors.snapshotInterval || errors.heartbeat);
  useEffect(() => {
    if (advancedInvalid) setAdvanced(true);
  }, [advancedInvalid]);
  return (
    <fieldset className="fieldset">
      <legend>{t('wizard.schedule.title')}</legend>
      <div className="fieldset__body">
        <Field
          id={fieldDomId('snapshotAt')}
          label={t('wizard.schedule.snapshotAt')}
          hint={t('wizard.schedule.snapshotAtHint')}
          type="time"
          step={60}
          value={draft.snapshotAt}
          onChange={(e) => update((d) => ({ ...d, snapshotAt: e.target.value }))}
          error={errorText(t, errors.snapshotAt)}
          required
          className="field__input--short"
        />
        <details
          className="advanced"
          open={advanced}
          onToggle={(e) => setAdvanced(e.currentTarget.open)}
        >
          <summary>{t('wizard.schedule.advanced')}</summary>
          <div className="fieldset__body">
            <Field
              id={fieldDomId('snapshotInterval')}
              label={t('wizard.schedule.interval')}
              hint={t('wizard.schedule.intervalHint')}
              type="number"
              inputMode="numeric"
              min={LIMITS.snapshotIntervalMinutes[0]}
              max={LIMITS.snapshotIntervalMinutes[1]}
              value={draft.snapshotIntervalMinutes}
              onChange={(e) => update((d) => ({ ...d, snapshotIntervalMinutes: e.target.value }))}
              error={errorText(t, errors.snapshotInterval)}
              className="field__input--short"
            />
            <Field
              id={fieldDomId('heartbeat')}
              label={t('wizard.schedule.heartbeat')}
              hint={t('wizard.schedule.heartbeatHint')}
              type="number"
              inputMode="numeric"
              min={LIMITS.heartbeat[0]}
              max={LIMITS.heartbeat[1]}
              value={draft.heartbeatIntervalSeconds}
              onChange={(e) => update((d) => ({ ...d, heartbeatIntervalSeconds: e.target.value }))}
              error={errorText(t, errors.heartbeat)}
              className="field__input--short"
            />
          </div>
        </details>
      </div>
    </fieldset>
  );
}

/** How many recovery points are kept (GFS) and how far back every second stays restorable. */
export function RetentionFields({ draft, errors, update }: DraftSectionProps) {
  const t = useT();
  const set = (key: keyof typeof draft.retention, value: string) =>
    update((d) => ({ ...d, retention: { ...d.retention, [key]: value } }));
  return (
    <fieldset className="fieldset">
      <legend>{t('wizard.retention.title')}</legend>
      <p className="field__hint">{t('wizard.retention.hint')}</p>
      <div className="form__row form__row--4">
        <Field
          id={fieldDomId('retention.daily')}
          label={t('wizard.retention.daily')}
          type="number"
          inputMode="numeric"
          min={LIMITS.daily[0]}
          max={LIMITS.daily[1]}
          value={draft.retention.daily}
          onChange={(e) => set('daily', e.target.value)}
          error={errorText(t, errors['retention.daily'])}
        />
        <Field
          id={fieldDomId('retention.weekly')}
          label={t('wizard.retention.weekly')}
          type="number"
          inputMode="numeric"
          min={LIMITS.weekly[0]}
          max={LIMITS.weekly[1]}
          value={draft.retention.weekly}
          onChange={(e) => set('weekly', e.target.value)}
          error={errorText(t, errors['retention.weekly'])}
        />
        <Field
          id={fieldDomId('retention.monthly')}
          label={t('wizard.retention.monthly')}
          type="number"
          inputMode="numeric"
          min={LIMITS.monthly[0]}
          max={LIMITS.monthly[1]}
          value={draft.retention.monthly}
          onChange={(e) => set('monthly', e.target.value)}
          error={errorText(t, errors['retention.monthly'])}
        />
        <Field
          id={fieldDomId('retention.pitrDays')}
          label={t('wizard.retention.pitrDays')}
          type="number"
          inputMode="numeric"
          min={LIMITS.pitrDays[0]}
          max={LIMITS.pitrDays[1]}
          value={draft.retention.pitrDays}
          onChange={(e) => set('pitrDays', e.target.value)}
          error={errorText(t, errors['retention.pitrDays'])}
        />
      </div>
    </fieldset>
  );
}
