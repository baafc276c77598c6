import { Fragment, type ReactNode } from 'react';

export interface ReviewRow {
  key: string;
  label: string;
  value: ReactNode;
}

/** What the admin chose, as label/value rows to read once more before the run. */
export function ReviewRows({ rows, testId }: { rows: readonly ReviewRow[]; testId?: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {rows.map((row) => (
        <Fragment key={row.key}>
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
