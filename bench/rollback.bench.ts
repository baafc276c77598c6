import path from 'node:path';
import { installAuditTrail, removeAuditTrail } from '../agent/audit/audit-trail';
import { applyRollback, previewRollback, recordHistory } from '../agent/audit/record-rollback';
import type { AgentConfig } from '../shared/agent/config';
import { runCommand, startPostgres, type PostgresCluster } from '../test/harness';
import { median, percentile, round } from './measure';
import type { BenchSuite } from './suites';

// Issue 18's numbers. Scale from the environment for quick runs on a shared machine:
// KUMIKO_BENCH_ROLLBACK_ROWS (default 1,000,000), KUMIKO_BENCH_ROLLBACK_HISTORY (5,000,000),
// KUMIKO_BENCH_ROLLBACK_SAMPLES (200), KUMIKO_BENCH_PGBENCH_SECONDS (60 per run, 2 runs each).
const ROWS = Number(process.env.KUMIKO_BENCH_ROLLBACK_ROWS ?? 1_000_000);
const HISTORY = Number(process.env.KUMIKO_BENCH_ROLLBACK_HISTORY ?? 5_000_000);
const SAMPLES = Number(process.env.KUMIKO_BENCH_ROLLBACK_SAMPLES ?? 200);
const PGBENCH_SECONDS = Number(process.env.KUMIKO_BENCH_PGBENCH_SECONDS ?? 60);
const PGBENCH_SCALE = 10;

function agentConfig(pg: PostgresCluster): AgentConfig {
  // Only the pg part is read by the audit code: psql as the cluster's OS user over its socket.
  return {
    pg: {
      version: '15',
      dataDirectory: pg.dataDir,
      port: pg.port,
      socketDirectory: pg.socketDir,
      binDirectory: pg.binDir,
      osUser: 'postgres',
    },
  } as AgentConfig;
}

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
  // would take the bench's time without measuring anything asked for.
  await pg.psql(
    `INSERT INTO kumiko_audit.row_history (schema_name, table_name, row_key, op, old_row, new_row, changed_columns, changed_at)
     SELECT 'public', 'item', jsonb_build_object('id', k), 'U',
            jsonb_build_object('id', k, 'name', 'item ' || k, 'qty', g % 100, 'price', 1.00, 'updated_at', now()),
            jsonb_build_object('id', k, 'name', 'item ' || k, 'qty', (g + 1) % 100, 'price', 1.00, 'updated_at', now()),
            ARRAY['qty'], now() - interval '10 days' + g * interval '1 ms'
       FROM generate_series(1, ${HISTORY}) g, LATERAL (SELECT (g::bigint * 7919) % ${ROWS} + 1 AS k) key;
     ANALYZE;`,
    'app',
  );
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

async function pgbenchRun(pg: PostgresCluster): Promise<{ tps: number; walBytesPerTx: number }> {
  const lsn = async () => pg.psql('SELECT pg_current_wal_lsn()', 'bench');
  const start = await lsn();
  const result = await runCommand(
    path.join(pg.binDir, 'pgbench'),
    [
      '-n',
      '-c',
      '2',
      '-j',
      '2',
      '-T',
      String(PGBENCH_SECONDS),
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      'bench',
    ],
    { runAs: 'postgres', name: 'pgbench', timeoutMs: (PGBENCH_SECONDS + 120) * 1000 },
  );
  const end = await lsn();
  const tps = Number(/tps = ([\d.]+)/.exec(result.stdout)?.[1]);
  const tx = Number(/number of transactions actually processed: (\d+)/.exec(result.stdout)?.[1]);
  const bytes = Number(await pg.psql(`SELECT pg_wal_lsn_diff('${end}', '${start}')`, 'bench'));
  return { tps, walBytesPerTx: bytes / tx };
}

/** pgbench tpcb-like, 2 clients, runs without and with the trail in turns. */
async function triggerOverhead(pg: PostgresCluster, config: AgentConfig, log: (l: string) => void) {
  await pg.psql('CREATE DATABASE bench');
  await runCommand(
    path.join(pg.binDir, 'pgbench'),
    ['-i', '-q', '-s', String(PGBENCH_SCALE), '-h', pg.socketDir, '-p', String(pg.port), 'bench'],
    { runAs: 'postgres', name: 'pgbench -i', timeoutMs: 600_000 },
  );
  const plain: { tps: number; walBytesPerTx: number }[] = [];
  const audited: typeof plain = [];
  for (let round = 0; round < 2; round++) {
    plain.push(await pgbenchRun(pg));
    await installAuditTrail(config, 'bench', {}, false);
    audited.push(await pgbenchRun(pg));
    await removeAuditTrail(config, 'bench', true, false);
    log(`round ${round + 1}: tps ${plain.at(-1)?.tps} plain, ${audited.at(-1)?.tps} audited`);
  }
  const m = (xs: typeof plain, k: 'tps' | 'walBytesPerTx') => median(xs.map((x) => x[k]));
  return {
    ratio: m(audited, 'tps') / m(plain, 'tps'),
    wal: m(audited, 'walBytesPerTx') / m(plain, 'walBytesPerTx'),
    tpsPlain: m(plain, 'tps'),
    tpsAudited: m(audited, 'tps'),
  };
}

/**
 * Record rollback (issue 18): find + preview + apply of one record in a table of ROWS rows
 * with HISTORY history rows, through the agent's code (psql as the cluster's OS user, one
 * process per step as on a server); and the trigger's cost on pgbench's TPC-B-like load.
 */
export const rollbackSuite: BenchSuite = {
  name: 'rollback',
  description: `record rollback on ${ROWS} rows with ${HISTORY} history rows; trigger overhead on pgbench tpcb-like, 2 clients`,
  async run(log) {
    const pg = await startPostgres({ confSettings: { shared_buffers: '256MB' } });
    try {
      const config = agentConfig(pg);
      await seed(pg, config, log);
      const samples = await rollbackSamples(pg, config);
      const overhead = await triggerOverhead(pg, config, log);
      return {
        'rollback.p99_ms': round(percentile(samples.total, 99), 1),
        'rollback.p50_ms': round(median(samples.total), 1),
        'rollback.find_p50_ms': round(median(samples.find), 1),
        'rollback.preview_p50_ms': round(median(samples.preview), 1),
        'rollback.apply_p50_ms': round(median(samples.apply), 1),
        'rollback.audit_tps_ratio': round(overhead.ratio),
        'rollback.wal_amplification': round(overhead.wal),
        'rollback.tps_plain': round(overhead.tpsPlain, 1),
        'rollback.tps_audited': round(overhead.tpsAudited, 1),
      };
    } finally {
      await pg.stop();
    }
  },
};
