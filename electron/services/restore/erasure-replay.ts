import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { ErasureLedgerEntry } from '../../../shared/agent/erasure-ledger';
import {
  isLedgerObjectKey,
  ledgerVerdict,
  loadedLedger,
  readLedgerObject,
  replayCount,
  replayLedgerWith,
  replayTransactionScript,
  tablesExistScript,
  withoutKeyValues,
  type LoadedLedger,
  type ReplayExecutor,
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
 * Erases every ledger subject from the restored cluster on `port` (see replayLedgerWith): per
 * database one psql script finds which tables exist, a second deletes each table's subject rows
 * (referencing rows first) and counts what is left, in one transaction.
 */
export function replayErasureLedger(
  site: RestoreSite,
  paths: Pick<ScratchPaths, 'socket'>,
  port: number,
  entries: readonly ErasureLedgerEntry[],
  signal?: AbortSignal,
): Promise<ReplayOutcome> {
  const run = async (database: string, script: string): Promise<string[]> => {
    const out = await psqlScript(site, paths, port, database, script, signal);
    if ('error' in out) throw new Error(out.error);
    return out.lines;
  };
  const executor: ReplayExecutor = {
    databases: async () =>
      new Set(await run('postgres', 'SELECT datname FROM pg_catalog.pg_database;')),
    async replayIn(database, groups) {
      const exist = await run(database, tablesExistScript(groups));
      const present = groups.filter((_, i) => exist[i] === 't');
      if (present.length === 0) return { present, erased: [], remaining: [] };
      const counts = (await run(database, replayTransactionScript(present))).map(replayCount);
      if (counts.length !== 2 * present.length) throw new Error('psql printed too few counts');
      return {
        present,
        erased: counts.slice(0, present.length),
        remaining: counts.slice(present.length),
      };
    },
  };
  return replayLedgerWith(executor, entries, () => signal?.aborted === true);
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
