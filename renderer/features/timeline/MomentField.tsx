import { useId, useState } from 'react';
import { useLang, useT } from '../../app/i18n';
import { formatUtc, parseWallInput, toLocalInput } from '../../lib/zoned-time';

/**
 * A moment to the second, typed in the admin's time zone and in the console's language
 * ("26.11.2026 14:23:05" in German, "26/11/2026 14:23:05" in English; ISO is read too), with
 * the same moment in UTC beside it. A text field, not datetime-local: that one shows the
 * browser's format, not the language chosen here. Follows `value` when it changes outside (a
 * pick on the timeline) unless the typed text already means that moment, and the language.
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
  const lang = useLang();
  const fallback = useId();
  const fieldId = id ?? fallback;
  const [text, setText] = useState(value === null ? '' : toLocalInput(value, zone, lang));
  const [shown, setShown] = useState(value);
  const [shownLang, setShownLang] = useState(lang);
  if (value !== shown || lang !== shownLang) {
    setShown(value);
    setShownLang(lang);
    const typed = parseWallInput(text, zone);
    // A moment written in the other language is written again in this one.
    if (value !== null && (typed !== value || lang !== shownLang))
      setText(toLocalInput(value, zone, lang));
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
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('moment.placeholder')}
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
