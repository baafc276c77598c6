import { z } from 'zod';
import { tableName } from './schema-graph';
import type { SubjectMap } from './subject-map';

// The export's rows as the server printed them ({"t": table number, "r": row}, one per line):
// untrusted, so each line is parsed and checked against the map before it is kept.

export type Row = Record<string, unknown>;

const Line = z.object({
  t: z.number().int().nonnegative(),
  r: z.record(z.string(), z.unknown()),
});

/** The subject's rows per mapped table (`schema.table`), every mapped table present. */
export function rowsByTable(map: SubjectMap, lines: readonly string[]): Map<string, Row[]> {
  const tables = new Map<string, Row[]>(map.tables.map((t) => [tableName(t), []]));
  for (const line of lines) {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error('the server printed a line that is not JSON');
    }
    const parsed = Line.safeParse(raw);
    const mapped = parsed.success ? map.tables[parsed.data.t] : undefined;
    if (!parsed.success || !mapped)
      throw new Error('the server printed a row the map does not name');
    tables.get(tableName(mapped))!.push(parsed.data.r);
  }
  return tables;
}

/** A CSV cell (RFC 4180): objects as JSON, null empty; text a spreadsheet would run as a formula gets a leading '. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV with a header of `columns` (the table's columns in order). */
export function rowsCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
