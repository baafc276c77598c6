import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldChrome {
  label: ReactNode;
  hint?: ReactNode;
  /** A validation message: shown under the control, which is marked aria-invalid. */
  error?: ReactNode;
}

function Shell({
  id,
  label,
  hint,
  error,
  children,
}: FieldChrome & { id: string; children: ReactNode }) {
  return (
    <div className={['field', error ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The ids of a field's hint and error, for aria-describedby. */
function describedBy(id: string, chrome: FieldChrome): string | undefined {
  const ids = [chrome.hint ? `${id}-hint` : '', chrome.error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export type FieldProps = FieldChrome &
  InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> };

/** A labelled input; the label's htmlFor and the hint's aria-describedby are wired up. */
export function Field({ label, hint, error, id, className, ...input }: FieldProps) {
  const fallback = useId();
  const fieldId = id ?? fallback;
  return (
    <Shell id={fieldId} label={label} hint={hint} error={error}>
      <input
        {...input}
        id={fieldId}
        className={['field__input', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(fieldId, { label, hint, error })}
        aria-invalid={error ? true : undefined}
      />
    </Shell>
  );
}

export type TextAreaFieldProps = FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextAreaField({
  label,
  hint,
  error,
  id,
  className,
  ...textarea
}: TextAreaFieldProps) {
  const fallback = useId();
  const fieldId = id ?? fallback;
  return (
    <Shell id={fieldId} label={label} hint={hint} error={error}>
      <textarea
        {...textarea}
        id={fieldId}
        className={['field__input', 'field__textarea', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(fieldId, { label, hint, error })}
        aria-invalid={error ? true : undefined}
      />
    </Shell>
  );
}

export type SelectFieldProps = FieldChrome & SelectHTMLAttributes<HTMLSelectElement>;

export function SelectField({ label, hint, error, id, className, ...select }: SelectFieldProps) {
  const fallback = useId();
  const fieldId = id ?? fallback;
  return (
    <Shell id={fieldId} label={label} hint={hint} error={error}>
      <select
        {...select}
        id={fieldId}
        className={['field__input', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(fieldId, { label, hint, error })}
        aria-invalid={error ? true : undefined}
      />
    </Shell>
  );
}

/** A checkbox with its label beside it and an optional hint below. */
export function CheckboxField({
  label,
  hint,
  id,
  ...input
}: Omit<FieldChrome, 'error'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const fallback = useId();
  const fieldId = id ?? fallback;
  return (
    <div className="field">
      <label className="choice" htmlFor={fieldId}>
        <input
          {...input}
          id={fieldId}
          type="checkbox"
          aria-describedby={hint ? `${fieldId}-hint` : undefined}
        />
        {label}
      </label>
      {hint ? (
        <p className="field__hint field__hint--choice" id={`${fieldId}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
