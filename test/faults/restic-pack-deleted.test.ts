import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { DrillRunSummary } from '../../shared/agent/drill';
import { ReportJson } from '../../shared/report/report-json';
import { pidsWithArgument } from '../harness/proc-table';
import { observeUntil, startFaultEnv, tile, type FaultEnv } from './fault-env';

// Fault 7: one restic pack (attached files' data) disappears from the bucket. The next drill's
// file check must fail and name what is missing, the drill tile turn critical with one alert,
// and the admin be told how to heal it; the healing (restic's own: rebuild the index, drop the
// snapshots that lost data, take a new recovery point) is carried out and the next drill passes.

let f: FaultEnv;

beforeAll(async () => {
  f = await startFaultEnv({ attachedFiles: true });
}, 240_000);

afterAll(async () => {
  for (const pid of f ? pidsWithArgument(f.env.config.drill.scratchRoot) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  await f?.stop();
});

async function drill(): Promise<{ summary: DrillRunSummary; failed: string }> {
  const run = await f.env.agent(['drill'], 600_000);
  const summary = DrillRunSummary.parse(JSON.parse(run.stdout));
  const report = ReportJson.parse(
    JSON.parse(f.env.object(`${summary.bundlePrefix}report.json`).toString()),
  );
  const failed = report.drill.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.id}: ${c.detail}`)
    .join('\n');
  return { summary, failed };
}

describe('fault 7: one restic pack deleted', () => {
  let pack = '';
  let failedText = '';

  it('fails the next drill naming what is missing, with one alert', async () => {
    // Whole before the fault (restic's own check; the last test's drill passes on the healed
    // repository, so drills of it work).
    const clean = await f.env.restic(['check']);
    expect(clean.stdout).toMatch(/no errors were found/);

    const packs = f.env.keys(`${bucketLayout.resticPath(f.env.serverId)}/data/`);
    expect(packs.length).toBeGreaterThan(0);
    const key = packs[0] as string;
    pack = path.basename(key);
    const file = path.join(f.env.s3.dataDir, 'kumiko', key);
    for (const name of fs.readdirSync(path.dirname(file))) {
      if (name.startsWith(pack)) fs.rmSync(path.join(path.dirname(file), name));
    }
    const since = Date.now();
    const { summary, failed } = await drill();
    failedText = failed;
    expect(summary.passed).toBe(false);
    console.info(`[fault 7] pack ${pack} deleted; the drill failed:\n${failed}`);
    expect(failed).toMatch(/restic-check|files/);
    // Names what is missing: the pack (restic names it by its id).
    expect(failed).toContain(pack.slice(0, 8));

    const loud = await observeUntil(
      f,
      (o) => tile(o, 'drill').level === 'critical' && f.alerts().includes('drill-failed:open'),
      { since, timeoutMs: 60_000 },
    );
    console.info(
      `[fault 7] drill tile critical and alerted ${Math.round(loud.afterMs / 1000)} s after the drill began`,
    );
  });

  // The failed restic check names the heal before restic's own words (agent/drill/file-checks.ts).
  it('tells the admin how to heal it', () => {
    expect(failedText).toMatch(/rebuild-index|repair/);
  });

  it('heals with restic: rebuild the index, drop damaged snapshots, new recovery point; the drill passes', async () => {
    const rebuilt = await f.env.restic(['rebuild-index']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    // The snapshots whose data was in the pack cannot be restored; restic check names them.
    const check = await f.env.restic(['check']).then(
      () => 'clean',
      (error: Error) => error.message,
    );
    expect(check).toMatch(/not found in repository|contains errors/);
    const snapshots = JSON.parse((await f.env.restic(['snapshots', '--json'])).stdout) as Array<{
      id: string;
    }>;
    const forget = await f.env.restic(['forget', '--prune', ...snapshots.map((s) => s.id)]);
    expect(forget.code, forget.stderr).toBe(0);
    const snapshot = await f.env.agent(['snapshot']);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const { summary, failed } = await drill();
    expect(summary.passed, failed).toBe(true);
    await observeUntil(f, () => f.alerts().includes('drill-failed:resolved'), {
      since: Date.now(),
      timeoutMs: 60_000,
    });
    expect(f.alerts().filter((a) => a.startsWith('drill-failed'))).toEqual([
      'drill-failed:open',
      'drill-failed:resolved',
    ]);
  });
});
