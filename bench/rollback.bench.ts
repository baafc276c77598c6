import path from 'node:path';
import { installAuditTrail, removeAuditTrail } from '../agent/audit/audit-trail';
import { applyRollback, previewRollback, recordHistory } from '../agent/audit/record-rollback';
import type { AgentConfig } from '../shared/agent/config';
import { AUDIT_DRAIN_INTERVAL_MS, drainAuditHistory } from '../agent/audit/drain-loop';
import { runCommand, startPostgres, type PostgresCluster } from '../test/harness';
import { clusterOnlyAgentConfig } from '../test/harness/cluster-agent-config';
import { median, percentile, round } from './measure';
import { subjectRestoreSeconds } from './rollback-subject';
import type { BenchSuite } from './suites';

// Issue 18's numbers. Scale from the environment for quick runs on a shared machine:
// KUMIKO_BENCH_ROLLBACK_ROWS (default 1,000,000), KUMIKO_BENCH_ROLLBACK_HISTORY (5,000,000),
// KUMIKO_BENCH_ROLLBACK_SAMPLES (200), KUMIKO_BENCH_PGBENCH_SECONDS (60 per side-by-side run,
// KUMIKO_BENCH_PGBENCH_ROUNDS (4); then two runs of 2 × 3000 transactions for the WAL).
const ROWS = Number(process.env.KUMIKO_BENCH_ROLLBACK_ROWS ?? 1_000_000);
const HISTORY = Number(process.env.KUMIKO_BENCH_ROLLBACK_HISTORY ?? 5_000_000);
const SAMPLES = Number(process.env.KUMIKO_BENCH_ROLLBACK_SAMPLES ?? 200);
const PGBENCH_SECONDS = Number(process.env.KUMIKO_BENCH_PGBENCH_SECONDS ?? 60);
const PGBENCH_SCALE = 10;
const WAL_TRANSACTIONS_PER_CLIENT = 3000;
/** Side-by-side rounds, the trail on each database in turn. */
const ROUNDS = Number(process.env.KUMIKO_BENCH_PGBENCH_ROUNDS ?? 4);
const WARM_UP_SECONDS = 10;

/** The table and its history: every row once, then HISTORY versions spread over the keys. */
async function seed(pg: PostgresCluster, config: AgentConfig, log: (l: string) => void) {
  await pg.psql('CREATE DATABASE app');
  await pg.psql(
    `CREATE TABLE item (id bigint PRIMARY KEY, name text NOT NULL, qty int NOT NULL, price numeric(12,2), updated_at timestamptz);
     INSERT INTO item SELECT i, 'item ' || i, i % 100, (i % 1000) / 10.0, now() FROM generate_series(1, ${ROWS}) i;`,
    'app',
  );
  await installAuditTrail(config, 'app', { tables: ['public.item'] }, false);
  log(`history: ${HISTORY} rows over ${ROWS} keys`);
  // Written directly (as the trigger would have): millions of UPDATEs through the trigger
  // would take the bench's time without measuring anything asked for. In chunks: one psql call
  // of the harness may take two minutes, and a loaded machine needs more for 5,000,000 rows.
  const chunk = 250_000;
  for (let from = 1; from <= HISTORY; from += chunk) {
    const to = Math.min(HISTORY, from + chunk - 1);
    await pg.psql(
      `INSERT INTO kumiko_audit.row_history (schema_name, table_name, row_key, op, old_row, changed_at)
       SELECT 'public', 'item', jsonb_build_object('id', k), 'U',
              jsonb_build_object('id', k, 'name', 'item ' || k, 'qty', g % 100, 'price', 1.00, 'updated_at', now()),
              now() - interval '10 days' + g * interval '1 ms'
         FROM generate_series(${from}, ${to}) g, LATERAL (SELECT (g::bigint * 7919) % ${ROWS} + 1 AS k) key`,
      'app',
    );
  }
  await pg.psql('ANALYZE', 'app');
  // The agent drains every second: by the time anyone rolls back, its slot has moved past the
  // seed's gigabytes of WAL (the slot's restart point moves with PostgreSQL's running-
  // transactions record, every 15 s). Without this the first samples decode the whole seed.
  const drainer = drainLikeTheAgent(config, 'app');
  await new Promise((r) => setTimeout(r, 20_000));
  log(`seed drained (${await drainer.stop()} versions)`);
}

/** Find + preview + apply of one record after a fresh bad update, in ms each. */
async function rollbackSamples(
  pg: PostgresCluster,
  config: AgentConfig,
): Promise<{ total: number[]; find: number[]; preview: number[]; apply: number[] }> {
  const out = {
    total: [] as number[],
    find: [] as number[],
    preview: [] as number[],
    apply: [] as number[],
  };
  for (let i = 0; i < SAMPLES + 3; i++) {
    const id = 1 + ((i * 104_729) % ROWS);
    await pg.psql(`UPDATE item SET qty = -1, name = 'bad' WHERE id = ${id}`, 'app');
    const ref = { db: 'app', schema: 'public', table: 'item', key: { id: String(id) } };
    const t0 = performance.now();
    const history = await recordHistory(config, ref);
    const t1 = performance.now();
    const before = history.versions.at(-2)?.id ?? history.versions[0]?.id;
    const preview = await previewRollback(config, ref, {
      afterVersion: before ?? '0',
    });
    const t2 = performance.now();
    const outcome = await applyRollback(config, ref, preview, { actor: 'bench', reason: 'bench' });
    const t3 = performance.now();
    if (!outcome.applied) throw new Error(`rollback refused: ${JSON.stringify(outcome.refusal)}`);
    if (i < 3) continue; // warm-up
    out.find.push(t1 - t0);
    out.preview.push(t2 - t1);
    out.apply.push(t3 - t2);
    out.total.push(t3 - t0);
  }
  return out;
}

type PgbenchLength = { seconds: number } | { transactions: number };
const pgbenchArgs = (pg: PostgresCluster, db: string, length: PgbenchLength): string[] => [
  '-n',
  '-c',
  '2',
  '-j',
  '2',
  ...('seconds' in length ? ['-T', String(length.seconds)] : ['-t', String(length.transactions)]),
  '-h',
  pg.socketDir,
  '-p',
  String(pg.port),
  db,
];

async function pgbench(pg: PostgresCluster, db: string, length: PgbenchLength) {
  const result = await runCommand(path.join(pg.binDir, 'pgbench'), pgbenchArgs(pg, db, length), {
    runAs: 'postgres',
    name: 'pgbench',
    timeoutMs: ('seconds' in length ? length.seconds + 120 : 600) * 1000,
  });
  return {
    tps: Number(/tps = ([\d.]+)/.exec(result.stdout)?.[1]),
    tx: Number(/number of transactions actually processed: (\d+)/.exec(result.stdout)?.[1]),
  };
}

/** Vacuumed, history emptied and checkpointed: every run starts from the same state. */
async function resetBench(pg: PostgresCluster, db: string): Promise<void> {
  await pg.psql('VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_accounts', db);
  await pg.psql('TRUNCATE pgbench_history', db);
  await pg.psql('CHECKPOINT', db);
}

/**
 * WAL bytes per transaction of one run alone (WAL is the cluster's, so runs go one at a time),
 * of a fixed number of transactions after a checkpoint: full-page images dominate the WAL, and
 * their share depends on how many transactions share a page after the checkpoint.
 */
async function walPerTx(
  pg: PostgresCluster,
  db: string,
  drain: () => Promise<unknown> = async () => undefined,
): Promise<number> {
  await resetBench(pg, db);
  await drain();
  const start = await pg.psql('SELECT pg_current_wal_lsn()', db);
  const { tx } = await pgbench(pg, db, { transactions: WAL_TRANSACTIONS_PER_CLIENT });
  // The history the drain writes from the run's messages is the trail's WAL too.
  await drain();
  const end = await pg.psql('SELECT pg_current_wal_lsn()', db);
  return Number(await pg.psql(`SELECT pg_wal_lsn_diff('${end}', '${start}')`, db)) / tx;
}

/** The agent's drain interval; another one only to compare (KUMIKO_BENCH_DRAIN_MS). */
const DRAIN_MS = Number(process.env.KUMIKO_BENCH_DRAIN_MS ?? AUDIT_DRAIN_INTERVAL_MS);

/** Drains `db` at the agent's interval (as its daemon does) until stopped. */
function drainLikeTheAgent(config: AgentConfig, db: string): { stop: () => Promise<number> } {
  let running = true;
  let drained = 0;
  const loop = (async () => {
    while (running) {
      drained += await drainAuditHistory(config, db);
      await new Promise((r) => setTimeout(r, DRAIN_MS));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return drained;
    },
  };
}

/**
 * pgbench tpcb-like, 2 clients, on two like databases at the same time, one with the trail and
 * one without, swapping which each round: the machine is shared, and runs one after the other
 * measured the neighbours' load as much as the trigger (ratios from 0.6 to 1.1 for the same
 * code within minutes). Side by side, both runs see the same load.
 */
async function triggerOverhead(pg: PostgresCluster, config: AgentConfig, log: (l: string) => void) {
  const dbs = ['bench_a', 'bench_b'] as const;
  for (const db of dbs) {
    await pg.psql(`CREATE DATABASE ${db}`);
    await runCommand(
      path.join(pg.binDir, 'pgbench'),
      ['-i', '-q', '-s', String(PGBENCH_SCALE), '-h', pg.socketDir, '-p', String(pg.port), db],
      { runAs: 'postgres', name: 'pgbench -i', timeoutMs: 600_000 },
    );
  }
  // Unmeasured, both plain: pgbench -i leaves the second database's pages in shared_buffers
  // (256 MB, the two databases about 150 MB each) and the first one's partly out, so the first
  // round started one database colder than the other.
  await Promise.all(dbs.map((db) => pgbench(pg, db, { seconds: WARM_UP_SECONDS })));
  const ratios: number[] = [];
  const plainTps: number[] = [];
  const auditedTps: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [audited, plain] = round % 2 === 0 ? dbs : [dbs[1], dbs[0]];
    await installAuditTrail(config, audited, {}, false);
    await resetBench(pg, audited);
    await resetBench(pg, plain);
    // The agent's drain beside, as on a server: the trail's cost includes moving its versions.
    const drainer = drainLikeTheAgent(config, audited);
    const [a, p] = await Promise.all([
      pgbench(pg, audited, { seconds: PGBENCH_SECONDS }),
      pgbench(pg, plain, { seconds: PGBENCH_SECONDS }),
    ]).finally(() => drainer.stop());
    log(`round ${round + 1}: ${await drainer.stop()} versions drained`);
    await removeAuditTrail(config, audited, true, false);
    ratios.push(a.tps / p.tps);
    auditedTps.push(a.tps);
    plainTps.push(p.tps);
    log(`round ${round + 1}: tps ${p.tps} plain, ${a.tps} audited (side by side)`);
  }
  const walPlain = await walPerTx(pg, dbs[0]);
  await installAuditTrail(config, dbs[0], {}, false);
  const walAudited = await walPerTx(pg, dbs[0], async () => {
    while ((await drainAuditHistory(config, dbs[0])) > 0);
  });
  await removeAuditTrail(config, dbs[0], true, false);
  log(`WAL per transaction: ${Math.round(walPlain)} plain, ${Math.round(walAudited)} audited`);
  return {
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    wal: walAudited / walPlain,
    tpsPlain: median(plainTps),
    tpsAudited: median(auditedTps),
  };
}

/**
 * Record rollback (issue 18): find + preview + apply of one record in a table of ROWS rows
 * with HISTORY history rows, through the agent's code (psql as the cluster's OS user, one
 * process per step as on a server); and the trigger's cost on pgbench's TPC-B-like load.
 */
export const rollbackSuite: BenchSuite = {
  name: 'rollback',
  description: `record rollback on ${ROWS} rows with ${HISTORY} history rows; trigger overhead on pgbench tpcb-like, 2 clients; one Chinook customer restored as of a moment`,
  async run(log) {
    // wal_level = logical, as the agent install sets it: the trail's versions are WAL messages.
    const pg = await startPostgres({
      confSettings: { shared_buffers: '256MB', wal_level: 'logical' },
    });
    try {
      const config = clusterOnlyAgentConfig(pg);
      // The trigger's cost first, in the fresh cluster: after the seed, the 6,000,000 rows just
      // written (analysed, never vacuumed) are due for autovacuum's insert-triggered vacuum,
      // which may run beside the rounds; and its buffers would be the seed's and the samples'.
      const overhead = await triggerOverhead(pg, config, log);
      await seed(pg, config, log);
      const samples = await rollbackSamples(pg, config);
      // Its own server with the agent, backups and Chinook: a subject restore is a PITR.
      const subjectSeconds = await subjectRestoreSeconds(log);
      return {
        'rollback.p99_ms': round(percentile(samples.total, 99), 1),
        'rollback.p50_ms': round(median(samples.total), 1),
        'rollback.find_p50_ms': round(median(samples.find), 1),
        'rollback.preview_p50_ms': round(median(samples.preview), 1),
        'rollback.apply_p50_ms': round(median(samples.apply), 1),
        'rollback.audit_tps_ratio': round(overhead.ratio),
        'rollback.audit_tps_ratio_min': round(overhead.ratioMin),
        'rollback.audit_tps_ratio_max': round(overhead.ratioMax),
        'rollback.wal_amplification': round(overhead.wal),
        'rollback.tps_plain': round(overhead.tpsPlain, 1),
        'rollback.tps_audited': round(overhead.tpsAudited, 1),
        'rollback.subject_restore_s': round(subjectSeconds, 1),
      };
    } finally {
      await pg.stop();
    }
  },
};
