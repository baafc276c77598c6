import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrillRunSummary } from '../../shared/agent/drill';
import { ReportJson } from '../../shared/report/report-json';
import { pidsWithArgument } from '../harness/proc-table';
import { captureState, startFaultEnv, type FaultEnv } from './fault-env';

// Fault 10: the disk under the drill's scratch folder fills up while the drill restores. The
// scratch root is a small tmpfs (SCRATCH_MB, less than the restored cluster needs), the rest of
// the server as it was. The drill must stop with a clear error, leave nothing behind, and leave
// production alone (the writer and capture go on); with room again the next drill passes.

const SCRATCH_MB = 24;

let f: FaultEnv;
let scratchRoot: string;
let mounted = false;

beforeAll(async () => {
  f = await startFaultEnv();
  scratchRoot = f.env.config.drill.scratchRoot;
  fs.mkdirSync(scratchRoot, { recursive: true });
  // Not writable by others, as the drill requires of its scratch root.
  execFileSync('mount', [
    '-t',
    'tmpfs',
    '-o',
    `size=${SCRATCH_MB}m,mode=0711`,
    'tmpfs',
    scratchRoot,
  ]);
  mounted = true;
}, 240_000);

afterAll(async () => {
  for (const pid of scratchRoot ? pidsWithArgument(scratchRoot) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  if (mounted) execFileSync('umount', ['-l', scratchRoot]);
  await f?.stop();
});

async function drill(): Promise<{ summary: DrillRunSummary; stderr: string; why: string }> {
  const run = await f.env.agent(['drill'], 600_000);
  const summary = DrillRunSummary.parse(JSON.parse(run.stdout));
  let why = '';
  if (!summary.passed) {
    const report = ReportJson.parse(
      JSON.parse(f.env.object(`${summary.bundlePrefix}report.json`).toString()),
    );
    why = report.drill.checks
      .filter((c) => !c.passed)
      .map((c) => `${c.id}: ${c.detail}`)
      .join('\n');
  }
  return { summary, stderr: run.stderr, why };
}

describe('fault 10: disk full during a drill', () => {
  it('stops with a clear error, cleans up, and leaves production alone', async () => {
    const markersBefore = f.load.markers;
    const { summary, stderr, why } = await drill();
    expect(summary.passed).toBe(false);
    console.info(`[fault 10] drill on a ${SCRATCH_MB} MB scratch disk: ${why}`);
    // The admin reads why: the disk was full.
    expect(`${why}\n${stderr}`).toMatch(/No space left on device|ENOSPC|disk.*full|free space/i);
    // Nothing left behind: no drill folder, no process of the throwaway cluster.
    expect(fs.readdirSync(scratchRoot)).toEqual([]);
    expect(pidsWithArgument(scratchRoot)).toEqual([]);
    // Production untouched: the writer went on and capture is fine.
    expect(f.load.markers).toBeGreaterThan(markersBefore);
    expect(captureState(await f.observe()).level).toBe('ok');
  });

  // The drill checks the scratch disk against the recovery point's size before it restores
  // (agent/drill/free-space.ts): it refuses, saying how much it needs and how much is free.
  it('says up front how much free space the next drill needs', async () => {
    const { summary, why } = await drill();
    expect(summary.passed).toBe(false);
    expect(why).toMatch(/needs? (about )?\d+(\.\d+)? ?[MG]B.*free/i);
  });

  it('passes again with room on the scratch disk', async () => {
    execFileSync('mount', ['-o', 'remount,size=512m', scratchRoot]);
    const { summary, why } = await drill();
    expect(summary.passed, why).toBe(true);
    expect(fs.readdirSync(scratchRoot)).toEqual([]);
  });
});
