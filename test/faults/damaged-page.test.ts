import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrillRunSummary } from '../../shared/agent/drill';
import { ReportJson } from '../../shared/report/report-json';
import { pidsWithArgument } from '../harness/proc-table';
import { observeUntil, startFaultEnv, tile, type FaultEnv } from './fault-env';

// Fault 15: a page of a table in the live cluster is damaged on disk (a failing disk, a bad
// controller); the cluster has data checksums, as the harness initialises it. PostgreSQL does
// not notice until the page is read. The next recovery point reads every row for its table
// checksums: it must fail on the page, loudly, and not be published; the recovery point before
// the damage stays the last good one, and a drill of it passes.

let f: FaultEnv;

beforeAll(async () => {
  f = await startFaultEnv();
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
    .filter((c) => !c.passed && c.id !== 'bucket-protection')
    .map((c) => `${c.id}: ${c.detail}`)
    .join('\n');
  return { summary, failed };
}

async function snapshot(): Promise<string> {
  const run = await f.env.agent(['snapshot']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { label: string }).label;
}

describe('fault 15: a damaged page in the live cluster', () => {
  let good = '';
  let failedText = '';

  it('fails the next recovery point on the damaged page, loudly, keeping the last good one', async () => {
    await f.env.pg.psql(
      'CREATE TABLE invoices_2026 AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 20000) g; CHECKPOINT;',
    );
    const relation = await f.env.pg.psql("SELECT pg_relation_filepath('invoices_2026')");
    good = await snapshot();

    // Damage one byte in the middle of the table's fifth page, with the server stopped so no
    // clean copy of the page stays in its buffers.
    await f.env.pg.stopServer();
    const file = path.join(f.env.pg.dataDir, relation);
    const fd = fs.openSync(file, 'r+');
    const at = 4 * 8192 + 4096;
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    byte[0] = (byte[0] as number) ^ 0xff;
    fs.writeSync(fd, byte, 0, 1, at);
    fs.closeSync(fd);
    await f.env.pg.start();

    // The recovery point reads every row for its table checksums: it meets the page first,
    // before any drill, and refuses to publish a point with it.
    const since = Date.now();
    const run = await f.env.agent(['snapshot']);
    failedText = run.stderr;
    console.info(
      `[fault 15] the recovery point after the damage: ${run.stderr.trim().split('\n').at(-1)}`,
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/page verification failed|invalid page/);

    const loud = await observeUntil(
      f,
      (o) =>
        tile(o, 'recoveryPointAge').level === 'critical' &&
        f.alerts().includes('recovery-point-failed:open'),
      { since, timeoutMs: 60_000 },
    );
    // The last good recovery point stays the one the dashboard and the drills use.
    expect(loud.observation.heartbeat.lastRecoveryPoint?.label).toBe(good);
    console.info(
      `[fault 15] recovery-point tile critical and alerted ${Math.round(loud.afterMs / 1000)} s after the snapshot began; last good point ${good}`,
    );
    const drilled = await drill();
    expect(drilled.summary.passed, drilled.failed).toBe(true);
  });

  // The failed recovery point names the table behind the damaged file
  // (agent/snapshot/damaged-relation.ts), not only base/<oid>/<filenode>.
  it('names the damaged relation', () => {
    expect(failedText).toMatch(/invoices_2026/);
  });
});
