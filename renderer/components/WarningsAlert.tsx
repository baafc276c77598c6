import type { ReactNode } from 'react';
import { Alert } from './Alert';

/** A plan's warnings as one warning box with a list; nothing at all when there are none. */
export function WarningsAlert({
  title,
  warnings,
  'data-testid': testId,
}: {
  title: ReactNode;
  warnings: readonly string[];
  'data-testid'?: string;
}) {
  if (warnings.length === 0) return null;
  return (
    <Alert tone="warning" title={title} data-testid={testId}>
      <ul className="alert__list">
        {warnings.map((warning, i) => (
          <li key={i}>{warning}</li>
        ))}
      </ul>
    </Alert>
  );
}
