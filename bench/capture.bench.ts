import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  agentNode,
  runPgBackRest,
  setArchiving,
  startPostgres,
  startS3,
  writePgBackRestConfig,
  type PostgresCluster,
} from '../test/harness';
import { AGENT_BUNDLE, buildAgentBundle } from '../test/harness/agent-env';
import { prepareAttachedFiles, type BenchAttachedFiles } from './attached-files';
import { median, percentile, round, timeInTurns } from './measure';
import type { BenchSuite } from './suites';

/** pgbench scale 70 ≈ 1.05 GB of data; override with KUMIKO_BENCH_SCALE for quick runs. */
const SCALE = Number(process.env.KUMIKO_BENCH_SCALE ?? 70);
const RUNS = Number(process.env.KUMIKO_BENCH_RUNS ?? 3);
const LAG_SECONDS = Number(process.env.KUMIKO_BENCH_LAG_SECONDS ?? 180);

function sh(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command}: ${err}`))));
  });
}

function pgbench(pg: PostgresCluster, args: string[]): string {
  return execFileSync(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      path.join(pg.binDir, 'pgbench'),
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      ...args,
      'postgres',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
}

/** The agent's snapshot, its JSON result read: its own seconds and the files check's. */
function agentSnapshot(
  node: string,
  bundle: string,
  config: string,
): Promise<{ filesCheckSeconds: number }> {
  return new Promise((resolve, reject) =>
    execFile(
      node,
      [bundle, 'snapshot', '--type', 'full', '--config', config],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`agent snapshot: ${stderr}`));
        const result = JSON.parse(stdout) as { filesCheckSeconds?: number | null };
        if (typeof result.filesCheckSeconds !== 'number') {
          return reject(new Error('agent snapshot: no filesCheckSeconds in its result'));
        }
        resolve({ filesCheckSeconds: result.filesCheckSeconds });
      },
    ),
  );
}

/**
 * Continuous capture: a full backup of a ≥ 1 GB cluster through the agent (pgBackRest backup,
 * the attached files' restic snapshot and the check that it is wholly stored, manifest,
 * signature and upload) against the same point made by hand (the anchor: `pgbackrest backup`,
 * then `restic backup` of the same folder with the same day's new files; since the bench has
 * attached files, comparing with pgBackRest alone would charge the files to us only) and
 * `tar | zstd -1` of
 * the data directory (the limit: reading and compressing every byte once, without the
 * network); then capture lag under steady pgbench load. The attached files are an uploads
 * folder of 2000 files (~200 MB) backed up once before (as the install's first point does), a
 * few new files each day: point_check_s is what proving the files costs a point.
 */
export const captureSuite: BenchSuite = {
  name: 'capture',
  description: `full backup of pgbench scale ${SCALE} and capture lag under load`,
  async run(log) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-bench-capture-'));
    const pg = await startPostgres();
    const s3 = await startS3({ buckets: ['bench'] });
    try {
      log(`loading pgbench scale ${SCALE}…`);
      pgbench(pg, ['-i', '-q', '-s', String(SCALE)]);
      // A cluster at rest, as production's is between loads: freshly loaded rows have no hint
      // bits yet, and whichever run read them first paid for setting them (and for the
      // checkpoint writing every page again), which made the first runs 50% slower.
      await pg.psql('VACUUM (FREEZE, ANALYZE)');
      await pg.psql('CHECKPOINT');
      const bytes = Number(await pg.psql('SELECT sum(pg_database_size(datname)) FROM pg_database'));
      log(`cluster size ${(bytes / 1e9).toFixed(2)} GB`);

      const config = writePgBackRestConfig({
        pg,
        s3,
        bucket: 'bench',
        global: { 'archive-timeout': 30 },
      });
      await setArchiving(pg, config, config.stanza, { archiveTimeout: 60 });
      await runPgBackRest(config, [`--stanza=${config.stanza}`, 'stanza-create'], { check: true });

      log('preparing attached files and their first restic backup…');
      const files = await prepareAttachedFiles(
        work,
        s3,
        'bench',
        path.join(work, 'state', 'restic-cache'),
      );
      log(`attached files ${(files.bytes / 1e6).toFixed(0)} MB`);
      const agentConfig = writeAgentConfig(work, pg, s3, config.configPath, config.stanza, files);
      // Built from the tree being measured (a stale dist/ measured yesterday's code).
      await buildAgentBundle();
      const bundle = AGENT_BUNDLE;
      // The agent refuses this machine's Node 20: it runs on the runtime the installer uploads.
      const node = await agentNode();
      const checks: number[] = [];
      const anchorFiles: number[] = [];
      let day = 0;
      // In turns, so load from elsewhere on the machine hits all three alike.
      const { limit, anchor, ours } = await timeInTurns(
        {
          limit: () => sh(`tar -cf - -C ${pg.dataDir} . | zstd -1 -T2 -q > /dev/null`),
          // The same recovery point by hand: the day's new uploads, then pgBackRest's backup of
          // the database and restic's of the files, one after the other as a script runs them.
          anchor: async () => {
            files.addDailyUploads(++day);
            await runPgBackRest(config, [`--stanza=${config.stanza}`, 'backup', '--type=full'], {
              check: true,
              timeoutMs: 600_000,
            });
            const start = Date.now();
            await files.backupByHand();
            anchorFiles.push(Date.now() - start);
          },
          ours: async () => {
            files.addDailyUploads(++day);
            checks.push((await agentSnapshot(node, bundle, agentConfig)).filesCheckSeconds);
          },
        },
        RUNS,
      );
      const checkRatios = checks.map((c, i) => (c * 1000) / (ours[i] as number));
      log(`limit (tar | zstd -1): ${limit.map((v) => (v / 1000).toFixed(1)).join(' ')} s`);
      log(
        `anchor (pgbackrest backup --type=full, then restic backup of the files): ${anchor.map((v) => (v / 1000).toFixed(1)).join(' ')} s`,
      );
      log(`of which restic: ${anchorFiles.map((v) => (v / 1000).toFixed(1)).join(' ')} s`);
      log(`ours (agent snapshot, full): ${ours.map((v) => (v / 1000).toFixed(1)).join(' ')} s`);
      log(`of which the attached files check: ${checks.map((v) => v.toFixed(2)).join(' ')} s`);

      log(`capture lag under pgbench -R 200 for ${LAG_SECONDS} s…`);
      const lags = await measureLag(pg, LAG_SECONDS);
      return {
        'capture.cluster_gb': round(bytes / 1e9, 2),
        'capture.limit_s': round(median(limit) / 1000, 2),
        'capture.pgbackrest_s': round(median(anchor) / 1000, 2),
        'capture.anchor_files_s': round(median(anchorFiles) / 1000, 2),
        'capture.backup_s': round(median(ours) / 1000, 2),
        'capture.backup_vs_pgbackrest': round(median(ours) / median(anchor)),
        'capture.backup_vs_limit': round(median(ours) / median(limit)),
        'capture.point_check_s': round(median(checks), 2),
        'capture.point_check_ratio': round(median(checkRatios)),
        'capture.lag_p50_s': round(percentile(lags, 50), 1),
        'capture.lag_p99_s': round(percentile(lags, 99), 1),
      };
    } finally {
      await pg.stop();
      await s3.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};

/**
 * Lag as an admin sees it: every second, how old the newest archived WAL is while pgbench
 * writes at a steady rate. archive_timeout = 60 bounds it from above when load is light.
 */
async function measureLag(pg: PostgresCluster, seconds: number): Promise<number[]> {
  const load = spawn(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      path.join(pg.binDir, 'pgbench'),
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      '-c',
      '2',
      '-R',
      '200',
      '-T',
      String(seconds),
      'postgres',
    ],
    { stdio: 'ignore' },
  );
  // Listen from the start: pgbench may end before the sampling loop does.
  const loadDone = new Promise((resolve) => load.once('close', resolve));
  const lags: number[] = [];
  const started = Date.now();
  // Skip the first archive_timeout: before the first switch there is no "last archived".
  while (Date.now() - started < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const lag = Number(
      await pg.psql(
        'SELECT coalesce(extract(epoch FROM now() - last_archived_time), -1) FROM pg_stat_archiver',
      ),
    );
    if (lag >= 0 && Date.now() - started > 60_000) lags.push(lag);
  }
  await loadDone;
  return lags.length ? lags : [Number.NaN];
}

function writeAgentConfig(
  work: string,
  pg: PostgresCluster,
  s3: Awaited<ReturnType<typeof startS3>>,
  pgbackrestConfig: string,
  stanza: string,
  files: BenchAttachedFiles,
): string {
  const stateDir = path.join(work, 'state');
  fs.mkdirSync(stateDir, { recursive: true });
  const keyFile = path.join(work, 'agent.key');
  fs.writeFileSync(
    keyFile,
    crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    {
      mode: 0o600,
    },
  );
  const configPath = path.join(work, 'agent.json');
  fs.writeFileSync(
    configPath,
    JSON.stringify({
      version: 1,
      serverId: 'bench',
      stanza,
      stateDir,
      pg: {
        version: '15',
        dataDirectory: pg.dataDir,
        port: pg.port,
        socketDirectory: pg.socketDir,
        binDirectory: pg.binDir,
        osUser: 'postgres',
      },
      pgbackrest: { configPath: pgbackrestConfig },
      s3: {
        endpoint: s3.endpoint,
        bucket: 'bench',
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        caFile: s3.caFile,
        prefix: 'kumiko/bench/',
      },
      restic: {
        repository: files.repository,
        passwordFile: files.passwordFile,
        paths: [files.dir],
      },
      signingKeyFile: keyFile,
      schedule: {
        snapshotAt: '02:30',
        heartbeatIntervalSeconds: 60,
        retentionIntervalSeconds: 86400,
      },
      retention: { daily: 7, weekly: 4, monthly: 3, pitrDays: 30 },
      alerts: { webhooks: [], captureLagSeconds: 300, recoveryPointMaxAgeHours: 26 },
    }),
    { mode: 0o600 },
  );
  return configPath;
}
