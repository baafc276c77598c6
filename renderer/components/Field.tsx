import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldChrome {
  label: ReactNode;
  hint?: ReactNode;
}

function Shell({ id, label, hint, children }: FieldChrome & { id: string; children: ReactNode }) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export type FieldProps = FieldChrome & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input; the label's htmlFor and the hint's aria-describedby are wired up. */
export function Field({ label, hint, id, className, ...input }: FieldProps) {
  const fallback = useId();
  const fieldId = id ?? fallback;
  return (
    <Shell id={fieldId} label={label} hint={hint}>
      <input
        {...input}
        id={fieldId}
        className={['field__input', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={hint ? `${fieldId}-hint` : undefined}
      />
    </Shell>
  );
}

export type TextAreaFieldProps = FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextAreaField({ label, hint, id, className, ...textarea }: TextAreaFieldProps) {
  const fallback = useId();
  const fieldId = id ?? fallback;
  return (
    <Shell id={fieldId} label={label} hint={hint}>
      <textarea
        {...textarea}
        id={fieldId}
        className={['field__input', 'field__textarea', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={hint ? `${fieldId}-hint` : undefined}
      />
    </Shell>
  );
}
