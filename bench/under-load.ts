import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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
      fx.agentNode,
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

/**
 * The S3 server stands in for remote storage: on a customer's server its CPU is not taken from
 * production. Here it shares the two cores, so it gets only what is left over (nice 19 for it
 * and for its session's autogroup), and the ratio measures what the recovery point costs the
 * database server itself.
 */
function atIdlePriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, 19);
    fs.writeFileSync(`/proc/${pid}/autogroup`, '19');
  } catch {
    // No autogroup on this kernel: the process's own nice is all there is.
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
 * checksums of what changed) over its TPS in the `baselineSeconds` before (`ratio`). For
 * scale, the same for a plain `pgbackrest backup --type=full` of the same repository
 * (`backupRatio`): the part of the cost that is the backup itself, not the manifest.
 */
export async function manifestTpsRatio(
  fx: InstalledAgent,
  log: (line: string) => void,
  baselineSeconds = 15,
): Promise<{ ratio: number; backupRatio: number; snapshotSeconds: number }> {
  const { pg } = fx;
  atIdlePriority(fx.s3.pid);
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
  const now = () => (Date.now() - started) / 1000;
  const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
  const window = (a: number, b: number) =>
    progress.filter((p) => p.at > a && p.at <= b + 0.999).map((p) => p.tps);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  try {
    // The first two seconds are pgbench's own start; the baseline is the seconds after them.
    await sleep(baselineSeconds + 2);
    const baselineTps = median(window(2, now()));
    const conf = path.join(remoteLayout(fx.remoteRoot).etcDir, 'pgbackrest.conf');
    const plainFrom = now();
    await promisify(execFile)('runuser', [
      '-u',
      'postgres',
      '--',
      'pgbackrest',
      `--config=${conf}`,
      '--stanza=main',
      'backup',
      '--type=full',
    ]);
    const plainTo = now();
    await sleep(5);
    const from = now();
    const snap = await agent(fx, ['snapshot', '--type', 'full']);
    const to = now();
    if (snap.code !== 0) throw new Error(`snapshot under pgbench: ${snap.stderr}`);
    // pgbench prints each second's line after that second: wait for the last one.
    await sleep(1.5);
    const plainTps = mean(window(plainFrom, plainTo));
    const duringTps = mean(window(from, to));
    log(
      `pgbench TPS: ${baselineTps.toFixed(0)} alone, ${plainTps.toFixed(0)} during a plain pgbackrest backup (${(plainTo - plainFrom).toFixed(1)} s), ${duringTps.toFixed(0)} during the recovery point (${(to - from).toFixed(1)} s)`,
    );
    return {
      ratio: round(duringTps / baselineTps),
      backupRatio: round(plainTps / baselineTps),
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
