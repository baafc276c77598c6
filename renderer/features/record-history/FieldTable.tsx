import { useT } from '../../app/i18n';
import type { MessageKey } from '../../app/i18n';
import { TableWrap } from '../../components/TableWrap';
import { shownValue } from './record-text';

export interface FieldRow {
  column: string;
  left: string | null;
  right: string | null;
}

/** A field-level diff: column, the value on the left, the value on the right. */
export function FieldTable({
  caption,
  left,
  right,
  rows,
  'data-testid': testId,
}: {
  caption: string;
  left: MessageKey;
  right: MessageKey;
  rows: readonly FieldRow[];
  'data-testid'?: string;
}) {
  const t = useT();
  const value = (json: string | null) => {
    const shown = shownValue(json);
    return shown === null ? <em>{t('records.null')}</em> : <span className="mono">{shown}</span>;
  };
  return (
    <TableWrap label={caption}>
      <table className="table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('records.col.column')}</th>
            <th scope="col">{t(left)}</th>
            <th scope="col">{t(right)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.column} data-column={row.column}>
              <th scope="row" className="mono">
                {row.column}
              </th>
              <td>{value(row.left)}</td>
              <td>{value(row.right)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
