import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBucket } from '../../agent/engines/s3';
import { publishManifest } from '../../agent/snapshot/publish';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { DrillRunSummary } from '../../shared/agent/drill';
import { parseManifestJson, type RecoveryPointManifest } from '../../shared/agent/manifest';
import { ReportJson } from '../../shared/report/report-json';
import { buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { pidsWithArgument, stopAll } from '../harness';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Drills of a database that is written to all the time, as production is: a marker row every
// 100 ms in chinook and pgbench in postgres run through every recovery point and every drill.
// Each recovery point's manifest names the exact WAL position its counts and checksums
// describe (a temporary logical slot's exported snapshot), and the drill restores the backup to
// exactly there, stopping at each database's position when they differ: ten recovery points
// in a row, each drilled, all pass. A manifest that expects one row more than the restored
// state holds (re-signed with the agent's own key) fails the drill, naming the table: the
// comparison stays exact, it does not tolerate.

const DRILLS = 10;

let env: AgentEnv;
let load: WriteLoad;

beforeAll(async () => {
  [env] = await Promise.all([startAgentEnv({ chinook: true }), buildAgentBundle()]);
  // The cluster's OS user must reach drill.scratchRoot inside the env's (0700) temp folder.
  fs.chmodSync(env.dir, 0o711);
  load = await startWriteLoad(env.pg, { markerDb: 'chinook', pgbenchDb: 'postgres' });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  const scratchRoot = env?.config.drill.scratchRoot;
  for (const pid of scratchRoot ? pidsWithArgument(scratchRoot) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  await env?.stop();
  await stopAll();
});

async function snapshot(): Promise<RecoveryPointManifest> {
  const run = await env.agent(['snapshot']);
  expect(run.code, run.stderr).toBe(0);
  const { label } = JSON.parse(run.stdout) as { label: string };
  return parseManifestJson(env.object(bucketLayout.manifest(env.serverId, label)).toString());
}

async function drill(): Promise<{ summary: DrillRunSummary; why: string }> {
  const run = await env.agent(['drill'], 600_000);
  const summary = DrillRunSummary.parse(JSON.parse(run.stdout));
  let why = `stderr (end): ${run.stderr.split('\n').slice(-8).join('\n')}`;
  if (!summary.passed) {
    const report = ReportJson.parse(
      JSON.parse(env.object(`${summary.bundlePrefix}report.json`).toString()),
    );
    why = `${report.drill.checks
      .filter((c) => !c.passed)
      .map((c) => `${c.id}: ${c.detail}`)
      .join('\n')}\n${why}`;
  }
  return { summary, why };
}

describe('drills under write load', () => {
  it(
    `takes ${DRILLS} recovery points with exact positions while writes go on, and drills each: all pass`,
    async () => {
      const startMarkers = load.markers;
      const results: boolean[] = [];
      let steps = 0;
      for (let i = 0; i < DRILLS; i++) {
        const manifest = await snapshot();
        for (const db of manifest.databases) {
          expect(db.isolation, db.name).toBe('exported snapshot');
          expect(db.consistentLsn, db.name).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
        }
        steps += new Set(manifest.databases.map((d) => d.consistentLsn)).size;
        const { summary, why } = await drill();
        expect(summary.passed, why).toBe(true);
        results.push(summary.passed);
      }
      expect(results).toEqual(Array(DRILLS).fill(true));
      // The writer really wrote throughout, and the databases were taken at several positions.
      expect(load.markers - startMarkers).toBeGreaterThan(DRILLS * 20);
      expect(steps).toBeGreaterThan(DRILLS);
    },
    DRILLS * 120_000,
  );

  it('fails naming the table when the restored state lacks one row the manifest counts', async () => {
    const manifest = await snapshot();
    const chinook = manifest.databases.find((d) => d.name === 'chinook');
    const marker = chinook?.tables.find((t) => t.table === 'kumiko_marker');
    expect(marker).toBeDefined();
    if (!marker) return;
    marker.rowCount += 1;
    const bucket = openBucket(env.config.s3);
    try {
      await publishManifest(bucket, manifest, env.config.signingKeyFile);
    } finally {
      bucket.close();
    }
    const { summary, why } = await drill();
    expect(summary.passed).toBe(false);
    expect(summary.failedChecks).toEqual(['manifest-match']);
    expect(why).toContain('kumiko_marker');
  }, 180_000);
});
