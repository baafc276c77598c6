import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { replayGroups, type ErasureLedgerEntry } from '../../../shared/agent/erasure-ledger';
import {
  groupOutcomes,
  isLedgerObjectKey,
  ledgerVerdict,
  loadedLedger,
  readLedgerObject,
  replayCount,
  replayTransactionScript,
  tablesExistScript,
  withoutKeyValues,
  type LoadedLedger,
  type ReplayOutcome,
} from '../../../shared/agent/erasure-replay';
import type { RestoreCheck } from '../../../shared/contract';
import { BucketLister } from '../catalog/bucket-lister';
import type { StorageService } from '../storage/storage-service';
import type { RestoreSite } from './restore-site';
import { scratchPsql } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

// DESIGN.md §1: the GDPR erasure ledger is replayed after every restore, so an erased data
// subject never comes back through one. The drill does the same on the server
// (agent/drill/gdpr-ledger.ts); the entries, SQL and verdict are shared.

const STEP = 'replay the GDPR erasure ledger';

/** Every entry of the server's ledger in its bucket, and the objects that are none. */
export async function loadErasureLedger(
  storage: StorageService,
  serverId: string,
): Promise<LoadedLedger> {
  const lister = new BucketLister(await storage.credentials(serverId));
  try {
    const keys = (await lister.list(bucketLayout.gdprPrefix(serverId)))
      .map((o) => o.key)
      .filter(isLedgerObjectKey);
    const read = await Promise.all(
      keys.map(async (key) =>
        readLedgerObject(key, (await lister.get(key))?.toString('utf8') ?? null),
      ),
    );
    return loadedLedger(read);
  } finally {
    lister.close();
  }
}

/** psql's error line, without the DETAIL and CONTEXT lines that can quote a key value. */
function psqlError(stderr: string): string {
  const line = stderr.split('\n').find((l) => /\b(ERROR|FATAL):/.test(l)) ?? stderr;
  return withoutKeyValues(line.replace(/^psql:[^:]*:\d+:\s*/, ''));
}

/** Runs a psql script on one database of the restored cluster; stdout lines, or the error. */
async function psqlScript(
  site: RestoreSite,
  paths: Pick<ScratchPaths, 'socket'>,
  port: number,
  database: string,
  script: string,
  signal?: AbortSignal,
): Promise<{ lines: string[] } | { error: string }> {
  const out = await site.shell.run(
    STEP,
    `${scratchPsql(site, paths, port, database)} <<'KUMIKO_SQL'\n${script}\nKUMIKO_SQL`,
    { asUser: site.osUser, signal, allowFailure: true },
  );
  if (out.code !== 0) return { error: psqlError(out.stderr) };
  return { lines: out.stdout.split('\n').filter((l) => l !== '') };
}

/**
 * Erases every ledger subject from the restored cluster on `port`: per database, which of the
 * tables exist (an older backup may predate one), then one transaction that deletes each
 * table's subject rows (referencing rows first) and counts what is left. A failure rolls that
 * database's replay back and is reported without key values.
 */
export async function replayErasureLedger(
  site: RestoreSite,
  paths: Pick<ScratchPaths, 'socket'>,
  port: number,
  entries: readonly ErasureLedgerEntry[],
  signal?: AbortSignal,
): Promise<ReplayOutcome> {
  const outcome: ReplayOutcome = { groups: [], failures: [] };
  const groups = replayGroups(entries);
  if (groups.length === 0) return outcome;
  const listed = await psqlScript(
    site,
    paths,
    port,
    'postgres',
    'SELECT datname FROM pg_catalog.pg_database;',
    signal,
  );
  if ('error' in listed) throw new Error(`cannot list the databases: ${listed.error}`);
  const databases = new Set(listed.lines);
  for (const database of [...new Set(groups.map((g) => g.database))]) {
    const mine = groups.filter((g) => g.database === database);
    if (!databases.has(database)) {
      outcome.groups.push(...groupOutcomes(mine));
      continue;
    }
    const exist = await psqlScript(site, paths, port, database, tablesExistScript(mine), signal);
    if ('error' in exist) {
      outcome.failures.push({ database, why: exist.error });
      continue;
    }
    const present = mine.filter((_, i) => exist.lines[i] === 't');
    if (present.length === 0) {
      outcome.groups.push(...groupOutcomes(mine));
      continue;
    }
    const replay = await psqlScript(
      site,
      paths,
      port,
      database,
      replayTransactionScript(present),
      signal,
    );
    if ('error' in replay) {
      outcome.failures.push({ database, why: replay.error });
      continue;
    }
    try {
      const counts = replay.lines.map(replayCount);
      if (counts.length !== 2 * present.length) throw new Error('psql printed too few counts');
      const erased = counts.slice(0, present.length);
      outcome.groups.push(...groupOutcomes(mine, present, erased, counts.slice(present.length)));
    } catch (error) {
      outcome.failures.push({ database, why: (error as Error).message });
    }
  }
  return outcome;
}

/** The `gdpr-ledger` check of a restore: the ledger replayed, or why not (never a key value). */
export async function erasureLedgerCheck(
  site: RestoreSite,
  paths: Pick<ScratchPaths, 'socket'>,
  port: number,
  ledger: Promise<LoadedLedger>,
  signal?: AbortSignal,
): Promise<RestoreCheck> {
  try {
    const loaded = await ledger;
    const verdict = ledgerVerdict(
      loaded,
      await replayErasureLedger(site, paths, port, loaded.entries, signal),
    );
    return { name: 'gdpr-ledger', ok: verdict.passed, detail: verdict.detail };
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = withoutKeyValues(error instanceof Error ? error.message : String(error));
    return {
      name: 'gdpr-ledger',
      ok: false,
      detail: `the GDPR erasure ledger could not be replayed: ${why}; the restored data may still contain erased subjects`,
    };
  }
}
