import type { CatalogEvent } from '../contract/recovery';

/**
 * Drill reports (issue 5) and GDPR ledger entries, read from their JSON records in the bucket
 * for the timeline. Their formats are not fixed yet, so this reads tolerantly: a record counts
 * when it has a time; title and outcome are taken from the usual field names.
 */

const TIME_FIELDS = ['finishedAt', 'completedAt', 'erasedAt', 'at', 'createdAt', 'startedAt'];

function str(record: Record<string, unknown>, field: string): string | null {
  const v = record[field];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function timeOf(record: Record<string, unknown>): string | null {
  for (const field of TIME_FIELDS) {
    const v = str(record, field);
    if (v && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  }
  return null;
}

function outcome(record: Record<string, unknown>): boolean | null {
  for (const field of ['ok', 'passed', 'success']) {
    if (typeof record[field] === 'boolean') return record[field] as boolean;
  }
  const result = str(record, 'result') ?? str(record, 'status') ?? str(record, 'state');
  if (!result) return null;
  if (/^(passed|ok|succeeded|success|done|completed|hard-deleted|erased)$/i.test(result))
    return true;
  if (/^(failed|error|failure)$/i.test(result)) return false;
  return null;
}

/**
 * One record as a timeline event; null when the text is not a JSON object with a time.
 * `key` names the record when it carries no title of its own.
 */
export function eventFromRecord(
  kind: CatalogEvent['kind'],
  key: string,
  text: string,
): CatalogEvent | null {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return null;
  const r = record as Record<string, unknown>;
  const at = timeOf(r);
  if (!at) return null;
  const name = key
    .split('/')
    .slice(-2)
    .join('/')
    .replace(/\.json$/, '');
  const fallback = kind === 'drill' ? `Restore drill ${name}` : `GDPR erasure ${name}`;
  // An erasure is titled by its record name (a hashed subject key), never by fields that could
  // carry personal data.
  const title = kind === 'erasure' ? fallback : (str(r, 'title') ?? str(r, 'name') ?? fallback);
  return { kind, at, title, ok: outcome(r) };
}
