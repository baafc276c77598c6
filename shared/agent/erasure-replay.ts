import {
  ErasureLedgerEntry,
  eraseGroupSql,
  remainingGroupSql,
  tableExistsSql,
  type ReplayGroup,
} from './erasure-ledger';

/**
 * A ledger replay as the agent's drills and the app's restores both run it: what was read from
 * the bucket, what the restored cluster said, and the verdict. Pure: the agent runs the SQL
 * statement by statement in a psql session, the app as one psql script over SSH.
 */

/** The ledger as read from the bucket: the entries, and the objects that are no entry. */
export interface LoadedLedger {
  entries: ErasureLedgerEntry[];
  unreadable: { key: string; why: string }[];
}

/** One ledger object's bytes (null: gone since it was listed) as an entry, or why not. */
export function readLedgerObject(
  key: string,
  text: string | null,
): ErasureLedgerEntry | { key: string; why: string } {
  if (text === null) return { key, why: 'it vanished while the ledger was read' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { key, why: 'not JSON' };
  }
  const parsed = ErasureLedgerEntry.safeParse(json);
  if (parsed.success) return parsed.data;
  return { key, why: `not a ledger entry: ${parsed.error.issues[0]?.message ?? '?'}` };
}

/** Splits what {@link readLedgerObject} made of each object into entries and unreadable ones. */
export function loadedLedger(
  read: readonly (ErasureLedgerEntry | { key: string; why: string })[],
): LoadedLedger {
  const ledger: LoadedLedger = { entries: [], unreadable: [] };
  for (const item of read) {
    if ('format' in item) ledger.entries.push(item);
    else ledger.unreadable.push(item);
  }
  return ledger;
}

/** Ledger object keys worth reading (folder placeholders ending in `/` are none). */
export const isLedgerObjectKey = (key: string): boolean => !key.endsWith('/');

/** What the replay did to one group's table. */
export interface GroupOutcome {
  group: ReplayGroup;
  /** False when the restored backup has no such table (it predates it): nothing to erase. */
  present: boolean;
  erased: number;
  remaining: number;
}

/**
 * One database's groups as replayed: `present` the groups whose table exists (in order), with
 * their `erased` and `remaining` counts at the same positions; the others were not in the backup.
 */
export function groupOutcomes(
  groups: readonly ReplayGroup[],
  present: readonly ReplayGroup[] = [],
  erased: readonly number[] = [],
  remaining: readonly number[] = [],
): GroupOutcome[] {
  return groups.map((group) => {
    const at = present.indexOf(group);
    return at === -1
      ? { group, present: false, erased: 0, remaining: 0 }
      : { group, present: true, erased: erased[at] ?? 0, remaining: remaining[at] ?? 0 };
  });
}

/** The replay's outcome per group, or why a database's replay failed (rolled back). */
export interface ReplayOutcome {
  groups: GroupOutcome[];
  failures: { database: string; why: string }[];
}

/** Statement timeout inside a replay's transaction: a big table is scanned once per group. */
export const REPLAY_STATEMENT_TIMEOUT = "SET LOCAL statement_timeout = '30min'";

/**
 * One database's replay as a psql script: the present groups' deletes in order (referencing
 * rows first), then the counts of what is left, in one transaction. Prints one count per line:
 * the erased counts, then the remaining ones. Any error (ON_ERROR_STOP) rolls it all back.
 */
export function replayTransactionScript(present: readonly ReplayGroup[]): string {
  return [
    'BEGIN;',
    `${REPLAY_STATEMENT_TIMEOUT};`,
    ...present.map((g) => `${eraseGroupSql(g)};`),
    ...present.map((g) => `${remainingGroupSql(g)};`),
    'COMMIT;',
  ].join('\n');
}

/** Prints `t` or `f` per group, in order: whether its table exists in the restored cluster. */
export function tablesExistScript(groups: readonly ReplayGroup[]): string {
  return groups.map((g) => `${tableExistsSql(g)};`).join('\n');
}

/** A count(*) as psql printed it; anything else is an error, never a silent 0. */
export function replayCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`expected a row count, got "${text.slice(0, 100)}"`);
  return Number(text);
}

/**
 * PostgreSQL's error without its DETAIL and CONTEXT lines, which can quote the subject's key
 * value ("Key (id)=(44) is still referenced"): nothing may bring back what was erased.
 */
export function withoutKeyValues(message: string): string {
  return (message.split('\n')[0] ?? '').trim();
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The verdict: passes when every ledger object is an entry, every entry's subject rows were
 * deleted from the restored cluster and none remain. The evidence names erasures by id and
 * tables by name, with counts: never a key value, hash or salt.
 */
export function ledgerVerdict(
  ledger: LoadedLedger,
  replay: ReplayOutcome,
): { passed: boolean; detail: string; evidence: string } {
  const lines: string[] = [`ledger entries: ${ledger.entries.length}`];
  for (const entry of ledger.entries) {
    lines.push(
      `erasure ${entry.erasureId}: ${entry.state} at ${entry.erasedAt}, database ${entry.database}, ` +
        `tables ${entry.targets.map((t) => `${t.schema}.${t.table}`).join(', ')}`,
    );
  }
  for (const bad of ledger.unreadable) lines.push(`unreadable: ${bad.key}: ${bad.why}`);
  for (const g of replay.groups) {
    const where = `${g.group.database}: ${g.group.schema}.${g.group.table} (column ${g.group.column})`;
    lines.push(
      g.present
        ? `${where}: ${g.erased} rows erased, ${g.remaining} remain (erasures ${g.group.erasureIds.join(', ')})`
        : `${where}: not in this backup, nothing to erase`,
    );
  }
  for (const f of replay.failures)
    lines.push(`${f.database}: replay failed, rolled back: ${f.why}`);

  const left = replay.groups.filter((g) => g.remaining > 0);
  const erased = replay.groups.reduce((sum, g) => sum + g.erased, 0);
  const tables = replay.groups.filter((g) => g.present).length;
  const problems = [
    ...ledger.unreadable.map((b) => `ledger object ${b.key} is unreadable (${b.why})`),
    ...replay.failures.map((f) => `the replay in database ${f.database} failed: ${f.why}`),
    ...left.map(
      (g) => `${g.remaining} rows of erased subjects remain in ${g.group.schema}.${g.group.table}`,
    ),
  ];
  const count = ledger.entries.length;
  const detail =
    problems.length > 0
      ? `${problems.join('; ')}: the restored data may still contain erased subjects`
      : count === 0
        ? 'the GDPR erasure ledger holds 0 erasures, so there were 0 erasures to replay'
        : `replayed ${plural(count, 'erasure')}: ${plural(erased, 'row')} erased in ${plural(tables, 'table')}; no row of an erased subject remains`;
  return { passed: problems.length === 0, detail, evidence: `${lines.join('\n')}\n${detail}\n` };
}
