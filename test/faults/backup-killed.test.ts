import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { runPgBackRest } from '../harness/pgbackrest';
import { pidsWithArgument } from '../harness/proc-table';
import { observeUntil, startFaultEnv, tile, type FaultEnv } from './fault-env';

// Fault 1: the recovery point's pgBackRest backup is killed with SIGKILL while it uploads (the
// OOM killer, an admin's kill -9). The tile turns critical, the next run succeeds, and the half
// backup is never listed as restorable: not by pgBackRest, not as a signed recovery point.

let f: FaultEnv;

beforeAll(async () => {
  f = await startFaultEnv();
}, 240_000);

afterAll(async () => {
  await f?.stop();
});

/** pgBackRest backup processes of this env (the main one and its local workers). */
function backupPids(): number[] {
  return pidsWithArgument(`--config=${f.env.pgbackrest.configPath}`).filter((pid) => {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.some((a) => a === 'backup' || a.startsWith('backup:'));
    } catch {
      return false;
    }
  });
}

interface InfoBackup {
  label: string;
  type: string;
}
async function listedBackups(): Promise<string[]> {
  const info = await runPgBackRest(f.env.pgbackrest, [
    `--stanza=${f.env.stanza}`,
    '--output=json',
    'info',
  ]);
  expect(info.code, info.stderr).toBe(0);
  const [stanza] = JSON.parse(info.stdout) as Array<{ backup: InfoBackup[] }>;
  return (stanza?.backup ?? []).map((b) => b.label);
}

describe('fault 1: recovery-point backup killed mid-upload', () => {
  it('is critical at once, lists no half backup, and the next run succeeds', async () => {
    const before = await listedBackups();
    expect(before).toHaveLength(1);
    const backupPrefix = `${bucketLayout.pgbackrestPath(f.env.serverId).replace(/^\//, '')}/backup/${f.env.stanza}/`;
    const labelsIn = (): Set<string> =>
      new Set(
        f.env
          .keys(backupPrefix)
          .map((k) => k.slice(backupPrefix.length).split('/')[0] ?? '')
          .filter((l) => /^\d{8}-\d{6}F/.test(l)),
      );
    const known = labelsIn();

    // Every request 300 ms late: the upload takes long enough to be caught in the middle.
    f.proxy.set({ kind: 'delay', ms: 300 });
    const run = f.env.agent(['snapshot'], 300_000);
    const deadline = Date.now() + 120_000;
    let half: string | undefined;
    while (!half) {
      half = [...labelsIn()].find(
        (l) => !known.has(l) && f.env.keys(`${backupPrefix}${l}/`).length > 0,
      );
      if (Date.now() > deadline) throw new Error('the backup never started uploading');
      if (!half) await new Promise((r) => setTimeout(r, 100));
    }
    const pids = backupPids();
    expect(pids.length, 'pgBackRest backup running').toBeGreaterThan(0);
    const killedAt = Date.now();
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    f.proxy.set({ kind: 'pass' });

    const failed = await run;
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/pgbackrest backup/);

    // How loud: the recovery-point tile is critical with the reason, and one alert went out.
    const loud = await observeUntil(
      f,
      (o) =>
        tile(o, 'recoveryPointAge').level === 'critical' &&
        f.alerts().includes('recovery-point-failed:open'),
      { since: killedAt, timeoutMs: 60_000 },
    );
    expect(tile(loud.observation, 'recoveryPointAge').reason).toMatch(/recovery point failed/);
    console.info(
      `[fault 1] backup ${half} killed; critical and alerted ${Math.round(loud.afterMs / 1000)} s later`,
    );

    // What was lost: nothing, and nothing half is offered. pgBackRest lists only the complete
    // backup, and no signed manifest names the half one.
    expect(await listedBackups()).toEqual(before);
    expect(f.env.keys(bucketLayout.manifest(f.env.serverId, half))).toEqual([]);

    // How it heals: the next run (the scheduler's next day, or "take a recovery point now").
    const healedAt = Date.now();
    const next = await f.env.agent(['snapshot'], 300_000);
    expect(next.code, next.stderr).toBe(0);
    const { label } = JSON.parse(next.stdout) as { label: string };
    expect(await listedBackups()).toEqual([...before, label]);
    expect(f.env.keys(bucketLayout.manifest(f.env.serverId, label))).toContain(
      bucketLayout.manifest(f.env.serverId, label),
    );
    const healed = await observeUntil(f, (o) => tile(o, 'recoveryPointAge').level === 'ok', {
      since: healedAt,
      timeoutMs: 60_000,
    });
    console.info(
      `[fault 1] next recovery point ${label} succeeded; ok ${Math.round(healed.afterMs / 1000)} s after it started`,
    );

    // From the backup before the fault, so the replay crosses it.
    const lost = await f.assertNothingLost({ set: before[0] });
    expect(lost.restoredMarkers).toBe(lost.productionMarkers);
    expect(f.alerts()).toEqual(['recovery-point-failed:open', 'recovery-point-failed:resolved']);
  }, 600_000);
});
