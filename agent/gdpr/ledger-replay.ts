import { openLedgerObject } from '../../node/gdpr/ledger-object';
import { checkWord } from '../../shared/report/check-words';
import type { AgentConfig } from '../../shared/agent/config';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import {
  AUDIT_HISTORY_EXISTS_SQL,
  LEDGER_KEY,
  LEDGER_LIMITS,
  eraseGroupSql,
  remainingGroupSql,
  replayGroups,
  scrubHistorySql,
  tableExistsSql,
  type ErasureLedgerEntry,
  type ReplayGroup,
} from '../../shared/agent/erasure-ledger';
import type { DrillCheck } from '../../shared/report/drill-result';
import { drillCheck, EVIDENCE } from '../drill/checks';
import { PsqlSession, psqlRows } from '../engines/psql';
import type { Bucket } from '../engines/s3';
import { AgentError, errorMessage } from '../runtime/errors';

const STEP = 'GDPR ledger replay';

/** The ledger as read from the bucket: verified entries, and the objects refused. */
export interface LoadedLedger {
  entries: ErasureLedgerEntry[];
  /** Objects that are no entry signed by the pinned app key: never replayed, always reported. */
  refused: { key: string; why: string }[];
}

/**
 * Reads and verifies every ledger object (folder placeholders ending in `/` are none): only
 * entries whose signature verifies against the app key pinned in the config, for this server,
 * are replayed (node/gdpr/ledger-object.ts). More objects than the limit are refused as a whole.
 */
export async function loadLedger(bucket: Bucket, config: AgentConfig): Promise<LoadedLedger> {
  const prefix = bucketLayout.gdprPrefix(config.serverId);
  const keys = (await bucket.list(prefix)).filter((k) => !k.endsWith('/'));
  if (keys.length > LEDGER_LIMITS.objects) {
    return {
      entries: [],
      refused: [
        { key: prefix, why: `it holds ${keys.length} objects, more than ${LEDGER_LIMITS.objects}` },
      ],
    };
  }
  const signer = config.gdpr?.signerKey ?? null;
  const read = await Promise.all(
    keys.map(async (key) => {
      const body = await bucket.get(key);
      if (body === null) return { key, why: 'it vanished while the ledger was read' };
      const opened = openLedgerObject(body, signer, config.serverId);
      return opened.ok ? opened.entry : { key, why: opened.why };
    }),
  );
  const entries: ErasureLedgerEntry[] = [];
  const refused: LoadedLedger['refused'] = [];
  for (const item of read) {
    if ('format' in item) entries.push(item);
    else refused.push(item);
  }
  return { entries, refused };
}

/** What the replay did to one group's table. */
export interface GroupOutcome {
  group: ReplayGroup;
  /** False when the restored backup has no such table (it predates it): nothing to erase. */
  present: boolean;
  erased: number;
  remaining: number;
  /** Audit trail history entries of the subject's rows removed (their values were personal). */
  history: number;
}

/** The replay's outcome per group, or why a database's replay failed (rolled back). */
export interface ReplayOutcome {
  groups: GroupOutcome[];
  failures: { database: string; why: string }[];
}

/**
 * PostgreSQL's error without its DETAIL and CONTEXT lines, which can quote the subject's key
 * value ("Key (id)=(44) is still referenced"): the report must not bring back what was erased.
 */
function withoutKeyValues(message: string): string {
  return (message.split('\n')[0] ?? '').trim();
}

/** A count(*) as psql printed it; anything else is an error, never a silent 0. */
function countOf(text: string): number {
  if (!/^\d+$/.test(text))
    throw new AgentError(STEP, `expected a row count, got "${text.slice(0, 100)}"`);
  return Number(text);
}

/**
 * Erases every ledger subject from the restored cluster: per database one transaction that
 * deletes each group's rows (in ledger order: referencing rows first) and then counts what is
 * left of them. A database the backup does not have holds nothing to erase.
 */
export async function replayLedger(
  scratch: AgentConfig,
  entries: readonly ErasureLedgerEntry[],
  signal?: AbortSignal,
): Promise<ReplayOutcome> {
  const outcome: ReplayOutcome = { groups: [], failures: [] };
  const groups = replayGroups(entries);
  if (groups.length === 0) return outcome;
  const ledgerKey = scratch.gdpr?.ledgerKey ?? '';
  if (!LEDGER_KEY.test(ledgerKey)) {
    throw new AgentError(
      STEP,
      'the agent config has no valid GDPR ledger key to match subjects with',
    );
  }
  const databases = new Set(
    (await psqlRows(scratch, ['SELECT datname FROM pg_catalog.pg_database'], STEP, { signal })).map(
      (row) => row[0],
    ),
  );
  for (const database of [...new Set(groups.map((g) => g.database))]) {
    const mine = groups.filter((g) => g.database === database);
    if (!databases.has(database)) {
      outcome.groups.push(
        ...mine.map((group) => ({ group, present: false, erased: 0, remaining: 0, history: 0 })),
      );
      continue;
    }
    // One session: the existence checks, then deletes and counts in one transaction.
    const session = PsqlSession.open(scratch, database, STEP, signal);
    try {
      const present: ReplayGroup[] = [];
      for (const group of mine) {
        if ((await session.query(tableExistsSql(group))) === 't') present.push(group);
      }
      const erased: number[] = [];
      const remaining: number[] = [];
      const history: number[] = [];
      if (present.length > 0) {
        // The statements carry the ledger key's HMAC pads: kept out of the server log.
        await session.query('SET log_statement = none');
        await session.query('SET log_min_duration_statement = -1');
        await session.query('BEGIN');
        await session.query("SET LOCAL statement_timeout = '30min'");
        for (const group of present)
          erased.push(countOf(await session.query(eraseGroupSql(group, ledgerKey))));
        for (const group of present) {
          remaining.push(countOf(await session.query(remainingGroupSql(group, ledgerKey))));
        }
        // The audit trail's row history holds the erased values too (issue 18): it goes.
        if ((await session.query(AUDIT_HISTORY_EXISTS_SQL)) === 't') {
          for (const group of present)
            history.push(countOf(await session.query(scrubHistorySql(group, ledgerKey))));
        }
        await session.query('COMMIT');
      }
      for (const group of mine) {
        const at = present.indexOf(group);
        outcome.groups.push(
          at === -1
            ? { group, present: false, erased: 0, remaining: 0, history: 0 }
            : {
                group,
                present: true,
                erased: erased[at] ?? 0,
                remaining: remaining[at] ?? 0,
                history: history[at] ?? 0,
              },
        );
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      outcome.failures.push({ database, why: withoutKeyValues(errorMessage(error)) });
    } finally {
      await session.close();
    }
  }
  return outcome;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * `gdpr-ledger-replay` (issue 5 §1): passes when every ledger object is a verified entry, every
 * entry's subject rows were deleted from the restored cluster and none remain. The evidence
 * names erasures by id and tables by name, with counts: never a key value, hash or salt.
 */
export function gdprLedgerVerdict(
  ledger: LoadedLedger,
  replay: ReplayOutcome,
): { check: DrillCheck; evidence: string } {
  const lines: string[] = [`ledger entries: ${ledger.entries.length}`];
  for (const entry of ledger.entries) {
    lines.push(
      `erasure ${entry.erasureId}: ${entry.state} at ${entry.erasedAt}, database ${entry.database}, ` +
        `tables ${entry.targets.map((t) => `${t.schema}.${t.table}`).join(', ')}`,
    );
  }
  for (const bad of ledger.refused) lines.push(`refused: ${bad.key}: ${bad.why}`);
  for (const g of replay.groups) {
    const where = `${g.group.database}: ${g.group.schema}.${g.group.table} (column ${g.group.column})`;
    lines.push(
      g.present
        ? `${where}: ${g.erased} rows ${g.group.anonymise ? `anonymised (${g.group.anonymise.join(', ')})` : 'erased'}, ${g.remaining} remain, ${g.history} audit history entries removed (erasures ${g.group.erasureIds.join(', ')})`
        : `${where}: not in this backup, nothing to erase`,
    );
  }
  for (const f of replay.failures)
    lines.push(`${f.database}: replay failed, rolled back: ${f.why}`);

  const left = replay.groups.filter((g) => g.remaining > 0);
  const erased = replay.groups.reduce((sum, g) => sum + g.erased, 0);
  const tables = replay.groups.filter((g) => g.present).length;
  const problems = [
    ...ledger.refused.map(
      (b) => `ledger object ${b.key} was refused (${b.why}) and deleted nothing`,
    ),
    ...replay.failures.map((f) => `the replay in database ${f.database} failed: ${f.why}`),
    ...left.map(
      (g) => `${g.remaining} rows of erased subjects remain in ${g.group.schema}.${g.group.table}`,
    ),
  ];
  const count = ledger.entries.length;
  const unsafe = replay.failures.length > 0 || left.length > 0;
  const applied =
    count === 0
      ? 'the GDPR erasure ledger holds 0 erasures, so there were 0 erasures to replay'
      : `replayed ${plural(count, 'erasure')}: ${plural(erased, 'row')} erased in ${plural(tables, 'table')}; no row of an erased subject remains`;
  // Refused objects deleted nothing, and the verified erasures were still applied.
  const problemWords = [
    ...ledger.refused.map((b) => checkWord('gdpr.refused', { key: b.key, detail: b.why })),
    ...replay.failures.map((f) =>
      checkWord('gdpr.replayFailed', { database: f.database, detail: f.why }),
    ),
    ...left.map((g) =>
      checkWord('gdpr.rowsRemain', {
        rows: g.remaining,
        table: `${g.group.schema}.${g.group.table}`,
      }),
    ),
  ];
  const appliedWord =
    count === 0
      ? checkWord('gdpr.none')
      : checkWord('gdpr.replayed', { erasures: count, rows: erased, tables });
  const words = unsafe
    ? [...problemWords, checkWord('gdpr.mayHoldErased')]
    : [...problemWords, appliedWord];
  const detail = unsafe
    ? `${problems.join('; ')}: the restored data may still contain erased subjects`
    : problems.length > 0
      ? `${problems.join('; ')}; ${applied}`
      : applied;
  return {
    check: drillCheck('gdpr-ledger-replay', problems.length === 0, detail, [EVIDENCE.gdpr], words),
    evidence: `${lines.join('\n')}\n${detail}\n`,
  };
}

/** A replay's verdict, and whether every verified erasure is applied. */
export interface LedgerReplayResult {
  check: DrillCheck;
  evidence: string;
  /** Verified entries replayed. */
  erasures: number;
  /**
   * Every verified erasure is applied and none of its rows remain. False: the data may still
   * hold an erased subject and must not be handed over. (Refused objects deleted nothing and
   * fail the check, but do not make it false: a bucket writer must not be able to stop every
   * restore by planting garbage.)
   */
  applied: boolean;
}

/**
 * Loads, verifies and replays the ledger into a restored cluster (`scratch`: its port and
 * socket), for drills and every restore: the verdict, or a failed check when it could not run.
 */
export async function replayLedgerCheck(
  scratch: AgentConfig,
  ledger: Promise<LoadedLedger>,
  signal?: AbortSignal,
): Promise<LedgerReplayResult> {
  try {
    const loaded = await ledger;
    const replay = await replayLedger(scratch, loaded.entries, signal);
    const applied = replay.failures.length === 0 && replay.groups.every((g) => g.remaining === 0);
    return {
      ...gdprLedgerVerdict(loaded, replay),
      erasures: loaded.entries.length,
      applied,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      check: drillCheck(
        'gdpr-ledger-replay',
        false,
        `the GDPR ledger could not be replayed: ${errorMessage(error)}`,
        [EVIDENCE.gdpr],
        [checkWord('gdpr.couldNotReplay', { detail: errorMessage(error) })],
      ),
      evidence: `${errorMessage(error)}\n`,
      erasures: 0,
      applied: false,
    };
  }
}
