import { useId, useState } from 'react';
import { useT } from '../../app/i18n';
import { formatUtc, parseWallInput, toWallInput } from '../../lib/zoned-time';

/**
 * A moment to the second, typed in the admin's time zone (a datetime-local input with
 * seconds), with the same moment in UTC beside it. Follows `value` when it changes outside
 * (a pick on the timeline) unless the typed text already means that moment.
 */
export function MomentField({
  label,
  value,
  onChange,
  zone,
  error,
  id,
  'data-testid': testId,
}: {
  label: string;
  value: number | null;
  onChange(time: number | null): void;
  zone: string;
  error?: string | null;
  id?: string;
  'data-testid'?: string;
}) {
  const t = useT();
  const fallback = useId();
  const fieldId = id ?? fallback;
  const [text, setText] = useState(value === null ? '' : toWallInput(value, zone));
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (value !== null && parseWallInput(text, zone) !== value) setText(toWallInput(value, zone));
  }
  const parsed = parseWallInput(text, zone);
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  return (
    <div className={['field', 'moment-field', error ? 'field--invalid' : ''].join(' ')}>
      <label className="field__label" htmlFor={fieldId}>
        {label}
      </label>
      <div className="moment-field__row">
        <input
          id={fieldId}
          className="field__input moment-field__input"
          type="datetime-local"
          step={1}
          value={text}
          data-testid={testId}
          aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parseWallInput(e.target.value, zone));
          }}
        />
        <output className="moment-field__utc mono" htmlFor={fieldId} data-testid="moment-utc">
          {parsed === null ? '—' : formatUtc(parsed)}
        </output>
      </div>
      <p className="field__hint" id={hintId}>
        {t('moment.zoneHint', { zone })}
      </p>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
