import type { SmokeCheck } from '../../../shared/agent/drill';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import {
  EXPECTATIONS,
  type SmokeCheckDraft,
  type SmokeCheckProblems,
} from '../../stores/drills-model';

/** The id of a smoke check's name field: focus goes there when the check is added. */
export function smokeCheckNameId(index: number): string {
  return `smoke-check-${index}-name`;
}

/** One smoke check's fields: name, database, SQL, expectation and value, with their problems. */
export function SmokeCheckFields({
  index,
  draft,
  problems,
  onChange,
  onRemove,
}: {
  index: number;
  draft: SmokeCheckDraft;
  /** Shown only once the admin tried to save. */
  problems: SmokeCheckProblems;
  onChange(draft: SmokeCheckDraft): void;
  onRemove(): void;
}) {
  const t = useT();
  const n = index + 1;
  const problem = (field: keyof SmokeCheckDraft) => {
    const p = problems[field];
    return p ? t(`drillSettings.problem.${p}`) : undefined;
  };
  const set = (change: Partial<SmokeCheckDraft>) => onChange({ ...draft, ...change });
  return (
    <fieldset className="fieldset smoke-check" data-testid={`smoke-check-${index}`}>
      <legend>{t('drillSettings.check', { n })}</legend>
      <div className="form__row form__row--wide">
        <Field
          id={smokeCheckNameId(index)}
          label={t('drillSettings.name')}
          hint={t('drillSettings.nameHint')}
          value={draft.name}
          error={problem('name')}
          maxLength={200}
          onChange={(e) => set({ name: e.target.value })}
        />
        <Field
          label={t('drillSettings.database')}
          value={draft.database}
          error={problem('database')}
          maxLength={63}
          onChange={(e) => set({ database: e.target.value })}
        />
      </div>
      <TextAreaField
        label={t('drillSettings.sql')}
        hint={t('drillSettings.sqlHint')}
        value={draft.sql}
        error={problem('sql')}
        rows={3}
        spellCheck={false}
        className="mono"
        onChange={(e) => set({ sql: e.target.value })}
      />
      <div className="form__row form__row--2">
        <SelectField
          label={t('drillSettings.expect')}
          value={draft.expect}
          onChange={(e) => set({ expect: e.target.value as SmokeCheck['expect'] })}
        >
          {EXPECTATIONS.map((e) => (
            <option key={e} value={e}>
              {t(`drillSettings.expect.${e}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('drillSettings.value')}
          value={draft.value}
          error={problem('value')}
          inputMode={draft.expect === 'equals' ? 'text' : 'decimal'}
          onChange={(e) => set({ value: e.target.value })}
        />
      </div>
      <div className="actions actions--end">
        <Button
          variant="danger"
          aria-label={t('drillSettings.removeNamed', { n })}
          onClick={onRemove}
        >
          {t('drillSettings.remove')}
        </Button>
      </div>
    </fieldset>
  );
}
