import type { RecordVersion, RollbackTarget, RowText } from '../../../shared/audit/rollback-plan';

/**
 * Pure helpers of the record-history page. Values stay the JSON text PostgreSQL printed; the
 * page shows strings without their quotes and everything else as printed.
 */

/** What the user typed as a value, as the JSON text the agent reads through the column's type. */
export function valueJson(typed: string): string {
  return JSON.stringify(typed);
}

/** One value for the eye: a JSON string unquoted, null as null, the rest as printed. */
export function shownValue(json: string | null | undefined): string | null {
  if (json === null || json === undefined || json === 'null') return null;
  if (json.startsWith('"')) {
    try {
      return String(JSON.parse(json));
    } catch {
      return json;
    }
  }
  return json;
}

/** A key as one line: `track_id=3`, `order_id=7, line=2`. */
export function keyText(key: RowText): string {
  return Object.entries(key)
    .map(([column, value]) => `${column}=${shownValue(value) ?? 'null'}`)
    .join(', ');
}

export interface FieldChange {
  column: string;
  before: string | null;
  after: string | null;
}

/** The fields one version changed: old → new, in the row's column order. */
export function versionChanges(version: RecordVersion): FieldChange[] {
  const columns = Object.keys(version.new ?? version.old ?? {});
  return columns
    .map((column) => ({
      column,
      before: version.old?.[column] ?? null,
      after: version.new?.[column] ?? null,
    }))
    .filter((c) => c.before !== c.after);
}

/** Before every version the trail knows: the state the first version found. */
const BEFORE_ALL = '1970-01-01T00:00:00Z';

/**
 * The target "back to before this change": right after the version before it, or for the
 * first version the state it found (a moment before every recorded change).
 */
export function targetBefore(
  versions: readonly RecordVersion[],
  version: RecordVersion,
): RollbackTarget {
  const index = versions.findIndex((v) => v.id === version.id);
  const previous = index > 0 ? versions[index - 1] : undefined;
  return previous ? { afterVersion: previous.id } : { at: BEFORE_ALL };
}
