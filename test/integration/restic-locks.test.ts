import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resticBackup,
  snapshotsPrefix,
  resticCheck,
  resticForget,
  resticRestore,
  resticSnapshotIds,
  resticUnlockStale,
} from '../../agent/engines/restic';
import { stopStragglers } from '../../agent/restore/scratch-admin';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { pidsWithArgument, stopAll } from '../harness';

// restic's repository lock against the real restic 0.14 and the TLS S3 server. restic removes
// its lock when it stops on SIGINT, and not on SIGTERM or SIGKILL. While any lock is in the
// repository, stale or not, it refuses every exclusive operation (check, forget --prune); while
// an exclusive one is, even backups and listings. A drill's check failed in CI that way, after
// an earlier drill had been stopped while restic restored its files. The agent stops restic
// with SIGINT and removes stale locks before its backups, checks and prunes.

let env: AgentEnv;
let snapshotId: string;
let cacheDir: string;

beforeAll(async () => {
  env = await startAgentEnv();
  cacheDir = path.join(env.dir, 'restic-cache');
  // Big enough that a restore still writes it well after restic has taken its lock.
  const big = path.join(env.attachedDir as string, 'scans.bin');
  fs.writeFileSync(big, crypto.randomBytes(96 * 1024 * 1024));
  const backup = await env.restic(['backup', env.attachedDir as string, '--tag', 'locks']);
  expect(backup.code, backup.stderr).toBe(0);
  const ids = await resticSnapshotIds(env.config, cacheDir, ['locks']);
  expect(ids).toHaveLength(1);
  snapshotId = ids[0] as string;
});

afterAll(async () => {
  await env?.stop();
  await stopAll();
});

const locks = (): string[] => env.keys(`${bucketLayout.resticPath(env.serverId)}/locks/`);

/**
 * Starts a restore of the big snapshot into a fresh folder and resolves once restic writes
 * files there: by then it holds its lock (it takes it before it reads the index).
 */
async function restoreUnderway(signal?: AbortSignal, root = fs.mkdtempSync(`${env.dir}/restore-`)) {
  const target = path.join(root, 'files');
  fs.mkdirSync(target);
  const run = resticRestore(env.config, cacheDir, snapshotId, target, signal);
  run.catch(() => undefined);
  const deadline = Date.now() + 60_000;
  while (fs.readdirSync(target).length === 0) {
    if (Date.now() > deadline) throw new Error('restic wrote nothing within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(locks()).toHaveLength(1);
  const [pid] = pidsWithArgument(target);
  expect(pid, 'restic restore is running').toBeDefined();
  return { run, pid: pid as number };
}

/** A restic killed outright while it held its lock: the lock stays behind, stale. */
async function leaveStaleLock(): Promise<void> {
  const { run, pid } = await restoreUnderway();
  process.kill(pid, 'SIGKILL');
  expect((await run).signal).toBe('SIGKILL');
  expect(locks()).toHaveLength(1);
}

describe('restic repository locks', () => {
  it('leaves no lock behind when the agent stops a running restic', async () => {
    const controller = new AbortController();
    const { run } = await restoreUnderway(controller.signal);
    controller.abort();
    await expect(run).rejects.toThrow(/^restic aborted/);
    expect(locks()).toEqual([]);
    const check = await resticCheck(env.config, cacheDir, 1);
    expect(check.code, check.stderr).toBe(0);
  });

  it('leaves no lock behind when scratch-drop stops a restic still restoring into its folder', async () => {
    // `kumiko-agent scratch-drop` stops whatever still names the environment's folder before
    // it deletes it (agent/restore/scratch-admin.ts): restic with SIGINT.
    const root = fs.mkdtempSync(path.join(env.dir, 'scratch-'));
    const { run } = await restoreUnderway(undefined, root);
    await stopStragglers(env.config, root);
    expect((await run).code).toBe(130);
    expect(locks()).toEqual([]);
  });

  it('removes the stale lock of a killed restic, which otherwise blocks the check', async () => {
    await leaveStaleLock();
    const blocked = await resticCheck(env.config, cacheDir, 1);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/repository is already locked/);

    const unlock = await resticUnlockStale(env.config, cacheDir);
    expect(unlock.code, unlock.stderr).toBe(0);
    expect(locks()).toEqual([]);
    const check = await resticCheck(env.config, cacheDir, 1);
    expect(check.code, check.stderr).toBe(0);
  });

  it('backs up despite the exclusive stale lock of a killed restic check', async () => {
    const check = resticCheck(env.config, cacheDir, 100);
    const deadline = Date.now() + 30_000;
    while (locks().length === 0) {
      if (Date.now() > deadline) throw new Error('restic check took no lock within 30 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const [pid] = pidsWithArgument(cacheDir);
    process.kill(pid as number, 'SIGKILL');
    expect((await check).signal).toBe('SIGKILL');
    expect(locks()).toHaveLength(1);
    // Without the unlock, restic refuses even to list snapshots.
    await expect(resticSnapshotIds(env.config, cacheDir, ['locks'])).rejects.toThrow(
      /repository is already locked exclusively/,
    );

    const backup = await resticBackup(env.config, cacheDir, 'after-kill');
    expect(backup.fileCount).toBeGreaterThan(0);
    // The full id, found by listing the snapshot objects in the bucket (no restic snapshots).
    expect(snapshotsPrefix(env.config)).not.toBeNull();
    expect(backup.snapshotId).toMatch(/^[0-9a-f]{64}$/);
    expect(await resticSnapshotIds(env.config, cacheDir, ['label:after-kill'])).toEqual([
      backup.snapshotId,
    ]);
    expect(locks()).toEqual([]);
  });

  it("prunes despite a killed restic's stale lock (retention's forget --prune)", async () => {
    await leaveStaleLock();
    await resticForget(env.config, cacheDir, [snapshotId]);
    expect(await resticSnapshotIds(env.config, cacheDir, ['locks'])).toEqual([]);
    expect(locks()).toEqual([]);
  });
});
