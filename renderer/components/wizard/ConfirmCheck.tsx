import { useId, useState, type ReactNode } from 'react';

/** The state of one explicit confirmation: its box's id and whether it was found missing. */
export interface ConfirmGate {
  id: string;
  missing: boolean;
  /** True when `confirmed`; else marks the box missing and moves focus to it. */
  passes(confirmed: boolean): boolean;
  /** The box changed: a tick clears the missing mark. */
  changed(checked: boolean): void;
}

export function useConfirmGate(): ConfirmGate {
  const id = useId();
  const [missing, setMissing] = useState(false);
  return {
    id,
    missing,
    passes(confirmed) {
      if (confirmed) return true;
      setMissing(true);
      document.getElementById(id)?.focus();
      return false;
    },
    changed(checked) {
      if (checked) setMissing(false);
    },
  };
}

/**
 * The explicit confirmation before a wizard runs (restart PostgreSQL, restore into scratch):
 * a checkbox that says what is confirmed, and, when the admin tried to go on without it, the
 * error tied to the box.
 */
export function ConfirmCheck({
  gate,
  checked,
  label,
  missingText,
  onChange,
}: {
  gate: ConfirmGate;
  checked: boolean;
  label: ReactNode;
  missingText: string;
  onChange(checked: boolean): void;
}) {
  const errorId = `${gate.id}-error`;
  return (
    <>
      <label className="choice choice--strong" htmlFor={gate.id}>
        <input
          id={gate.id}
          type="checkbox"
          checked={checked}
          onChange={(e) => {
            onChange(e.target.checked);
            gate.changed(e.target.checked);
          }}
          aria-invalid={gate.missing || undefined}
          aria-describedby={gate.missing ? errorId : undefined}
        />
        {label}
      </label>
      {gate.missing ? (
        <p className="field__error" id={errorId}>
          {missingText}
        </p>
      ) : null}
    </>
  );
}
