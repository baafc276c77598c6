import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { remoteLayout } from '../electron/services/agent-install/layout';
import { DrillRunSummary } from '../shared/agent/drill';
import type { InstalledAgent } from '../test/harness';
import { startWriteLoad } from '../test/harness/write-load';
import { median, round } from './measure';

/**
 * `kumiko-agent <args>` of the fixture, without blocking this process (the marker writer runs
 * in it, and must go on writing while the agent works). Resolves with its exit code and output.
 */
async function agent(
  fx: InstalledAgent,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const layout = remoteLayout(fx.remoteRoot);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [layout.bundlePath, ...args, '--config', layout.configPath],
      { maxBuffer: 64 * 1024 * 1024, timeout: 1_800_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

/** One `pgbench -P 1` progress line: seconds since its start and the TPS of that second. */
interface Progress {
  at: number;
  tps: number;
}

/**
 * What taking a recovery point costs production: pgbench (two clients, as fast as it goes)
 * runs throughout; its TPS in the seconds while `kumiko-agent snapshot --type full` runs
 * (pgBackRest's backup, the table checksums beside it, the exported snapshot's slot and the
 * checksums of what changed) over its TPS in the `baselineSeconds` before.
 */
export async function manifestTpsRatio(
  fx: InstalledAgent,
  log: (line: string) => void,
  baselineSeconds = 15,
): Promise<{ ratio: number; baselineTps: number; duringTps: number; snapshotSeconds: number }> {
  const { pg } = fx;
  const bench = spawn(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      path.join(pg.binDir, 'pgbench'),
      '-n',
      '-c',
      '2',
      '-j',
      '2',
      '-P',
      '1',
      '-T',
      '3600',
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      'postgres',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const started = Date.now();
  const progress: Progress[] = [];
  bench.stderr.setEncoding('utf8');
  bench.stderr.on('data', (chunk: string) => {
    for (const m of chunk.matchAll(/progress: ([\d.]+) s, ([\d.]+) tps/g)) {
      progress.push({ at: Number(m[1]), tps: Number(m[2]) });
    }
  });
  try {
    await new Promise((r) => setTimeout(r, (baselineSeconds + 2) * 1000));
    const from = (Date.now() - started) / 1000;
    const snap = await agent(fx, ['snapshot', '--type', 'full']);
    const to = (Date.now() - started) / 1000;
    if (snap.code !== 0) throw new Error(`snapshot under pgbench: ${snap.stderr}`);
    // pgbench prints each second's line after that second: wait for the last one.
    await new Promise((r) => setTimeout(r, 1500));
    const window = (a: number, b: number) =>
      progress.filter((p) => p.at > a && p.at <= b).map((p) => p.tps);
    // The first two seconds are pgbench's own start; the baseline is the seconds after them.
    const baseline = window(2, from);
    const during = window(from, to + 0.999);
    const baselineTps = median(baseline);
    const duringTps = during.reduce((a, b) => a + b, 0) / Math.max(1, during.length);
    log(
      `pgbench TPS: ${baselineTps.toFixed(0)} before, ${duringTps.toFixed(0)} during the ${(to - from).toFixed(1)} s recovery point`,
    );
    return {
      ratio: round(duringTps / baselineTps),
      baselineTps,
      duringTps,
      snapshotSeconds: round(to - from, 1),
    };
  } finally {
    process.kill(-(bench.pid as number), 'SIGTERM');
  }
}

/**
 * `runs` recovery points taken while writes go on (a marker row every 100 ms, pgbench at
 * 200 TPS), each drilled: how many passed.
 */
export async function drillsUnderLoad(
  fx: InstalledAgent,
  runs: number,
  log: (line: string) => void,
): Promise<{ runs: number; passed: number }> {
  const load = await startWriteLoad(fx.pg, { pgbenchRate: 200 });
  let passed = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const snap = await agent(fx, ['snapshot']);
      if (snap.code !== 0) throw new Error(`snapshot under load: ${snap.stderr}`);
      const run = await agent(fx, ['drill']);
      const summary = DrillRunSummary.parse(JSON.parse(run.stdout));
      if (summary.passed) passed += 1;
      else log(`drill ${i + 1} under load failed: ${summary.failedChecks.join(', ')}`);
    }
  } finally {
    await load.stop();
  }
  log(`drills under load: ${passed} of ${runs} passed`);
  return { runs, passed };
}
