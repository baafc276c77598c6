import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  osUser,
  runPgBackRest,
  setArchiving,
  startPostgres,
  startS3,
  stopAll,
  writePgBackRestConfig,
  type PgBackRestConfig,
  type PostgresCluster,
  type S3Server,
} from '../harness';

// Proves patches/s3rver+3.7.1.patch: unpatched s3rver omits "folders" that hold only
// sub-folders from delimiter listings, so pgBackRest's expire reports success but leaves the
// expired backups and WAL in the bucket. Here the objects must really be gone.

const STANZA = 'harness';
let pg: PostgresCluster;
let s3: S3Server;
let config: PgBackRestConfig;

beforeAll(async () => {
  [pg, s3] = await Promise.all([startPostgres(), startS3({ buckets: ['kumiko'] })]);
  config = writePgBackRestConfig({
    pg,
    s3,
    stanza: STANZA,
    // Bundling keeps a full backup to a few objects, so three fulls fit in seconds.
    global: { 'repo1-retention-full': 1, 'repo1-bundle': true },
  });
  await setArchiving(pg, config, STANZA);
});

afterAll(async () => {
  await pg?.stop();
  await s3?.stop();
  await stopAll();
});

async function pgbackrest(...args: string[]): Promise<string> {
  const result = await runPgBackRest(config, [`--stanza=${STANZA}`, ...args]);
  expect(result.code, `pgbackrest ${args.join(' ')}:\n${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}

/** Backup label folders in the bucket (not backup.info/backup.history). */
function labelsInBucket(): string[] {
  const prefix = `${config.repoPath.replace(/^\//, '')}/backup/${STANZA}/`;
  const labels = s3
    .listKeys(config.bucket, prefix)
    .map((key) => key.slice(prefix.length).split('/')[0] as string);
  return [...new Set(labels)].filter((l) => /^\d{8}-\d{6}F/.test(l)).sort();
}

/** WAL segment names (24 hex digits) stored in the archive. */
function walSegmentsInBucket(): string[] {
  const prefix = `${config.repoPath.replace(/^\//, '')}/archive/${STANZA}/`;
  return s3
    .listKeys(config.bucket, prefix)
    .map((key) => path.basename(key).slice(0, 24))
    .filter((name) => /^[0-9A-F]{24}$/.test(name))
    .sort();
}

describe('pgBackRest expire against the harness S3', () => {
  it('removes the objects of expired full backups and their WAL', async () => {
    await pgbackrest('stanza-create');
    await pgbackrest('check');
    const labelsSeen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await pg.psql(
        `CREATE TABLE t${i} AS SELECT g FROM generate_series(1, 10000) g; SELECT pg_switch_wal();`,
      );
      await pgbackrest('backup', '--type=full');
      labelsSeen.push(...labelsInBucket().filter((l) => !labelsSeen.includes(l)));
    }
    // backup runs expire itself; run it once more explicitly as the agent's retention job does.
    await pgbackrest('expire');

    const info = JSON.parse(await pgbackrest('info', '--output=json')) as Array<{
      status: { code: number };
      backup: Array<{ label: string; archive: { start: string } }>;
    }>;
    const stanza = info[0];
    expect(stanza?.status.code).toBe(0);
    const kept = stanza?.backup ?? [];
    expect(kept).toHaveLength(1);
    const keptBackup = kept[0] as { label: string; archive: { start: string } };

    expect(labelsSeen).toHaveLength(3);
    expect(labelsInBucket()).toEqual([keptBackup.label]);
    for (const expired of labelsSeen.filter((l) => l !== keptBackup.label)) {
      const prefix = `${config.repoPath.replace(/^\//, '')}/backup/${STANZA}/${expired}/`;
      expect(s3.listKeys(config.bucket, prefix)).toEqual([]);
      expect(fs.existsSync(path.join(s3.dataDir, config.bucket, prefix))).toBe(false);
    }
    const segments = walSegmentsInBucket();
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.filter((segment) => segment < keptBackup.archive.start)).toEqual([]);
  });

  it('ran pgBackRest as postgres: no root-owned files in its log, lock and spool paths', () => {
    const postgresUid = osUser('postgres').uid;
    const owners = new Set<number>();
    for (const dir of [config.logPath, config.lockPath, config.spoolPath]) {
      for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
        owners.add(fs.statSync(path.join(dir, entry)).uid);
      }
    }
    expect(owners.size).toBeGreaterThan(0);
    expect([...owners]).toEqual([postgresUid]);
  });
});
