import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { parseManifestJson, type RecoveryPointManifest } from '../../shared/agent/manifest';
import {
  LIST_USER_TABLES_SQL,
  tableChecksumSql,
  type UserTableRow,
} from '../../shared/agent/table-checksum-sql';
import { buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { runCommand, stopAll } from '../harness';

// The daily recovery point, end to end with the bundled agent: pgBackRest backup into the TLS
// S3 server, restic snapshot of the attached files, per-table counts and checksums of Chinook,
// and a manifest whose SSHSIG signature stock OpenSSH accepts.

let env: AgentEnv;
let first: {
  label: string;
  type: string;
  tier: string;
  resticSnapshotId: string;
  manifestKey: string;
  sha256: string;
};

beforeAll(async () => {
  await Promise.all([buildAgentBundle(), startAgentEnv({ chinook: true }).then((e) => (env = e))]);
});

afterAll(async () => {
  await env?.stop();
  await stopAll();
});

describe('kumiko-agent snapshot', () => {
  it('takes a full backup, a restic snapshot and a signed manifest', async () => {
    const t0 = Date.now();
    const result = await env.agent(['snapshot']);
    expect(result.code, result.stderr).toBe(0);
    first = JSON.parse(result.stdout);
    console.log(`snapshot took ${Date.now() - t0} ms`);
    expect(first.type).toBe('full');
    expect(first.tier).toBe('monthly');
    expect(first.resticSnapshotId).toMatch(/^[0-9a-f]{64}$/);

    const repo = bucketLayout.pgbackrestPath(env.serverId).replace(/^\//, '');
    const wal = env
      .keys(`${repo}/archive/${env.stanza}/`)
      .filter((k) => /\/[0-9A-F]{24}-[0-9a-f]{40}/.test(k));
    expect(wal.length).toBeGreaterThan(0);
    expect(env.keys(`${repo}/backup/${env.stanza}/${first.label}/`).length).toBeGreaterThan(0);
    expect(env.keys(`${bucketLayout.resticPath(env.serverId)}/snapshots/`)).toHaveLength(1);
    expect(env.keys(bucketLayout.manifestsPrefix(env.serverId))).toEqual([
      bucketLayout.manifest(env.serverId, first.label),
      bucketLayout.manifestSignature(env.serverId, first.label),
    ]);
    expect(env.object(bucketLayout.agentPublicKey(env.serverId)).toString().trim()).toBe(
      env.publicKeyLine,
    );
  });

  it('signs the manifest so that ssh-keygen -Y verify accepts it', async () => {
    const manifestFile = path.join(env.dir, 'manifest.json');
    const signatureFile = `${manifestFile}.sig`;
    const signersFile = path.join(env.dir, 'allowed_signers');
    const bytes = env.object(bucketLayout.manifest(env.serverId, first.label));
    fs.writeFileSync(manifestFile, bytes);
    fs.writeFileSync(
      signatureFile,
      env.object(bucketLayout.manifestSignature(env.serverId, first.label)),
    );
    const publicKey = env.object(bucketLayout.agentPublicKey(env.serverId)).toString().trim();
    fs.writeFileSync(signersFile, `agent@kumiko ${publicKey}\n`);
    const verify = (namespace: string) =>
      runCommand(
        'ssh-keygen',
        [
          '-Y',
          'verify',
          '-f',
          signersFile,
          '-I',
          'agent@kumiko',
          '-n',
          namespace,
          '-s',
          signatureFile,
        ],
        { input: bytes, check: false, name: 'ssh-keygen verify' },
      );
    const good = await verify('kumiko-manifest');
    expect(good.code, good.stderr + good.stdout).toBe(0);
    expect(good.stdout).toContain('Good "kumiko-manifest" signature');
    // A signature for manifests is no signature for reports.
    expect((await verify('kumiko-report')).code).not.toBe(0);
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    expect(sha).toBe(first.sha256);
  });

  it('records row counts and checksums equal to the database', async () => {
    const manifest: RecoveryPointManifest = parseManifestJson(
      env.object(bucketLayout.manifest(env.serverId, first.label)).toString('utf8'),
    );
    expect(manifest.label).toBe(first.label);
    expect(manifest.pgbackrest.type).toBe('full');
    expect(manifest.restic.snapshotId).toBe(first.resticSnapshotId);
    expect(manifest.restic.fileCount).toBe(3);
    expect(manifest.restic.bytes).toBeGreaterThan(12_000);
    expect(manifest.pg.dataChecksums).toBe(true);
    expect(manifest.pg.version).toMatch(/^15\./);
    expect(manifest.databases.map((d) => d.name)).toEqual(['chinook', 'postgres']);
    const chinook = manifest.databases.find((d) => d.name === 'chinook');
    const counts = Object.fromEntries(chinook?.tables.map((t) => [t.table, t.rowCount]) ?? []);
    expect(counts.artist).toBe(275);
    expect(counts.track).toBe(3503);
    expect(counts).toMatchObject(env.chinook ?? {});
    const recordedMethod = (table: string) =>
      chinook?.tables.find((t) => t.table === table)?.checksumMethod ?? 'md5';
    // Chinook's tables hold only hashable types: the per-column hash is used.
    expect(recordedMethod('artist')).toBe('columns64');
    const listed = await env.pg.query<UserTableRow>(LIST_USER_TABLES_SQL, [], 'chinook');
    for (const table of ['artist', 'invoice_line']) {
      const entry = listed.find((t) => t.table === table);
      if (!entry) throw new Error(`${table} not listed`);
      const [row] = await env.pg.query<{ rows: string; checksum: string }>(
        tableChecksumSql({ ...entry, method: recordedMethod(table) }),
        [],
        'chinook',
      );
      const recorded = chinook?.tables.find((t) => t.table === table);
      expect(recorded?.checksum).toBe(row?.checksum);
    }
    const state = JSON.parse(fs.readFileSync(path.join(env.config.stateDir, 'state.json'), 'utf8'));
    expect(state.lastRecoveryPoint).toMatchObject({ label: first.label, ok: true });
  });

  it('takes an incremental next, and never runs two snapshots at once', async () => {
    await env.pg.psql('INSERT INTO artist (artist_id, name) VALUES (276, $$Kumiko$$);', 'chinook');
    const lock = path.join(env.config.stateDir, 'locks', 'repository.lock');
    const first = env.agent(['snapshot']);
    // The second starts once the first holds the repository lock, so the race is decided.
    const deadline = Date.now() + 15_000;
    while (!fs.existsSync(lock) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const busy = await env.agent(['snapshot']);
    expect(busy.code, busy.stderr).toBe(4);
    expect(busy.stderr).toMatch(/already running \(pid \d+\)/);
    const a = await first;
    expect(a.code, a.stderr).toBe(0);
    const done = JSON.parse(a.stdout);
    expect(done.type).toBe('incr');
    const manifest = parseManifestJson(
      env.object(bucketLayout.manifest(env.serverId, done.label)).toString('utf8'),
    );
    const artist = manifest.databases
      .find((d) => d.name === 'chinook')
      ?.tables.find((t) => t.table === 'artist');
    expect(artist?.rowCount).toBe(276);
  });

  it('ran pgBackRest as postgres: no root-owned files in its paths', () => {
    const owners = new Set<number>();
    for (const dir of [env.pgbackrest.logPath, env.pgbackrest.lockPath, env.pgbackrest.spoolPath]) {
      for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
        owners.add(fs.statSync(path.join(dir, entry)).uid);
      }
    }
    expect(owners.has(0)).toBe(false);
  });
});
