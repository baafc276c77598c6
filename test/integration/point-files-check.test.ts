import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { AgentConfig } from '../../shared/agent/config';
import type { Catalog, PointCreateResult, ServerHealth } from '../../shared/contract';
import { POINT_HEAL_JOB_PHASES } from '../../shared/contract/point-phases';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { runCommand } from '../harness/run-command';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// A recovery point proves its own attached files (issue 21 §2), against the real stack:
// PostgreSQL 15 behind sshd, the agent installed over SSH, restic's repository in the TLS S3
// bucket, a writer committing beside it. One pack of attached-file data is deleted from the
// bucket; restic 0.14 still lists its blobs and the next backup reuses them, succeeding. The
// point must fail (POINT_FILES_MISSING), the heartbeat open an incident and the console's tile
// offer the heal; the heal (one action) must make a new point whose files restore from the
// bucket alone byte-identical to the server's.

let fx: InstalledAgent | undefined;
let load: WriteLoad | undefined;
let work = '';

beforeAll(async () => {
  fx = await startInstalledAgent({ chinook: false });
  load = await startWriteLoad(fx.pg, { markerEveryMs: 100 });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-point-files-'));
}, 240_000);

afterAll(async () => {
  await load?.stop();
  await fx?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, 180_000);

const f = () => {
  if (!fx) throw new Error('fixture not started');
  return fx;
};
const stateDir = () => path.join(f().remoteRoot, 'var/lib/kumiko-agent');

/** restic against the agent's repository, with a cache of its own (the bucket alone). */
function restic(args: string[], check = true) {
  const a = f();
  const config = AgentConfig.parse(
    JSON.parse(fs.readFileSync(path.join(a.remoteRoot, 'etc/kumiko-agent/config.json'), 'utf8')),
  );
  return runCommand('restic', ['--cacert', a.s3.caFile, '--no-cache', ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      RESTIC_REPOSITORY: config.restic.repository,
      RESTIC_PASSWORD_FILE: config.restic.passwordFile,
      AWS_ACCESS_KEY_ID: a.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: a.s3.secretAccessKey,
    },
    name: `restic ${args[0]}`,
    check,
    timeoutMs: 120_000,
  });
}

/** Deletes one pack holding attached-file data (not trees) from the bucket; returns its id. */
async function deleteDataPack(): Promise<string> {
  const a = f();
  const packs = a.s3.listKeys(a.bucket, `${bucketLayout.resticPath(a.serverId)}/data/`);
  for (const key of packs) {
    const id = path.basename(key);
    const found = await restic(['find', '--pack', id, '--json']);
    if (found.stdout.trim() === '' || found.stdout.trim() === '[]') continue;
    const file = path.join(a.s3.dataDir, a.bucket, key);
    for (const name of fs.readdirSync(path.dirname(file))) {
      if (name.startsWith(id)) fs.rmSync(path.join(path.dirname(file), name));
    }
    return id;
  }
  throw new Error(`no data pack among ${packs.length} packs`);
}

describe('a recovery point proves its own attached files', () => {
  let pack = '';
  let failedLabel = '';

  it('fails the next point when a pack is gone from the bucket, with an incident and the heal offered', async () => {
    const a = f();
    pack = await deleteDataPack();
    // Production goes on: a new upload beside the old ones, whose data the deleted pack held.
    fs.writeFileSync(path.join(a.attachedDir as string, 'invoice-new.pdf'), '%PDF-1.4 new\n');

    const markers = load?.markers ?? 0;
    const job = await a.runJob('point.create', { serverId: a.serverId });
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('POINT_FILES_MISSING');
    expect(job.error?.message).toContain(pack.slice(0, 8));
    expect(job.error?.message).toMatch(/Heal it/);
    expect(load?.markers ?? 0).toBeGreaterThan(markers);

    // The point does not count: its backup has no manifest, so nothing restores files from it.
    const state = JSON.parse(fs.readFileSync(path.join(stateDir(), 'state.json'), 'utf8')) as {
      lastRecoveryPoint: { label: string; ok: boolean };
      lastRecoveryPointAttempt: { ok: boolean; filesMissing?: boolean };
    };
    expect(state.lastRecoveryPoint.ok).toBe(false);
    expect(state.lastRecoveryPointAttempt).toMatchObject({ ok: false, filesMissing: true });
    failedLabel = state.lastRecoveryPoint.label;
    const catalog = await a.call<Catalog>('catalog.get', { serverId: a.serverId });
    expect(catalog.backups.find((b) => b.label === failedLabel)?.manifest ?? null).toBeNull();

    // The next heartbeat opens the incident; the console's tile says so and offers the heal.
    expect(a.agent(['heartbeat']).code).toBe(0);
    const incidents = JSON.parse(
      fs.readFileSync(path.join(stateDir(), 'incidents.json'), 'utf8'),
    ) as { open: Record<string, { message: string }> };
    expect(incidents.open['recovery-point-failed']?.message).toMatch(/attached files check/);
    const health = await a.call<ServerHealth>('status.get', { serverId: a.serverId });
    const tile = health.tiles.find((t) => t.id === 'recoveryPointAge');
    expect(tile).toMatchObject({ level: 'critical', action: 'healFiles' });
  }, 300_000);

  it('heals in one action: a new point whose files restore byte-identical from the bucket', async () => {
    const a = f();
    const phases: string[] = [];
    const job = await a.runJob('point.create', { serverId: a.serverId, heal: true }, (j) => {
      if (j.kind === 'point.create' && j.phase && phases.at(-1) !== j.phase) phases.push(j.phase);
    });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(phases.filter((p) => p !== 'starting')).toEqual([...POINT_HEAL_JOB_PHASES]);
    const point = job.result as PointCreateResult;
    expect(point.inCatalog).toBe(true);

    // The files of the new point, from the bucket alone (no cache), against the server's.
    const snapshots = JSON.parse(
      (await restic(['snapshots', '--json', '--tag', `label:${point.label}`])).stdout,
    ) as Array<{ id: string }>;
    expect(snapshots).toHaveLength(1);
    const target = path.join(work, 'restored');
    await restic(['restore', (snapshots[0] as { id: string }).id, '--target', target]);
    const source = a.attachedDir as string;
    const names = fs.readdirSync(source).sort();
    expect(names).toContain('invoice-new.pdf');
    const restored = path.join(target, source);
    expect(fs.readdirSync(restored).sort()).toEqual(names);
    for (const name of names) {
      expect(
        fs.readFileSync(path.join(restored, name)).equals(fs.readFileSync(path.join(source, name))),
        name,
      ).toBe(true);
    }

    // The heal resolves the incident at the next heartbeat, and the tile offers nothing more.
    expect(a.agent(['heartbeat']).code).toBe(0);
    const incidents = JSON.parse(
      fs.readFileSync(path.join(stateDir(), 'incidents.json'), 'utf8'),
    ) as { open: Record<string, unknown> };
    expect(incidents.open['recovery-point-failed']).toBeUndefined();
    const health = await a.call<ServerHealth>('status.get', { serverId: a.serverId });
    expect(health.tiles.find((t) => t.id === 'recoveryPointAge')?.action).toBeUndefined();
  }, 300_000);
});
