import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { runPgBackRest, stopAll } from '../harness';

// GFS retention applied to a REAL repository. Several backups with faked times are hard to
// make, so the clock is injected instead: three full backups taken seconds apart, then
// `retention --now <two days later>` with daily 1 / weekly 0 / monthly 0 / pitrDays 1. As of
// that moment all three fall on the same past day and outside the PITR window, so only the
// newest survives. The harness s3rver is patched so pgBackRest's expire really deletes.

let env: AgentEnv;
const labels: string[] = [];
const twoDaysLater = (): string => new Date(Date.now() + 2 * 86_400_000).toISOString();

beforeAll(async () => {
  await Promise.all([
    buildAgentBundle(),
    startAgentEnv({
      config: (c) => ({ ...c, retention: { daily: 1, weekly: 0, monthly: 0, pitrDays: 1 } }),
    }).then((e) => (env = e)),
  ]);
});

afterAll(async () => {
  await env?.stop();
  await stopAll();
});

const repo = (): string => bucketLayout.pgbackrestPath(env.serverId).replace(/^\//, '');
const backupKeys = (label: string): string[] =>
  env.keys(`${repo()}/backup/${env.stanza}/${label}/`);
const walSegments = (): string[] =>
  env
    .keys(`${repo()}/archive/${env.stanza}/`)
    .map((k) => path.basename(k))
    .filter((n) => /^[0-9A-F]{24}-[0-9a-f]{40}/.test(n))
    .map((n) => n.slice(0, 24));

async function resticSnapshotTags(): Promise<string[][]> {
  const result = await env.restic(['snapshots', '--json']);
  return (JSON.parse(result.stdout) as Array<{ tags: string[] }>).map((s) => s.tags);
}

async function info(): Promise<Array<{ label: string; archive: { start: string } }>> {
  const result = await runPgBackRest(env.pgbackrest, [
    `--stanza=${env.stanza}`,
    'info',
    '--output=json',
  ]);
  return JSON.parse(result.stdout)[0].backup;
}

describe('kumiko-agent retention', () => {
  it('expires all but the newest of three same-day backups, with their files and manifests', async () => {
    for (let i = 0; i < 3; i++) {
      await env.pg.psql(`CREATE TABLE t${i} AS SELECT g FROM generate_series(1, 5000) g;`);
      const result = await env.agent(['snapshot', '--type', 'full']);
      expect(result.code, result.stderr).toBe(0);
      labels.push(JSON.parse(result.stdout).label);
    }
    for (const label of labels) expect(backupKeys(label).length).toBeGreaterThan(0);
    expect(env.keys(bucketLayout.manifestsPrefix(env.serverId))).toHaveLength(6);
    expect(await resticSnapshotTags()).toHaveLength(3);
    const walBefore = walSegments();

    const preview = await env.agent(['retention', '--dry-run', '--now', twoDaysLater()]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.parse(preview.stdout).expired).toEqual([labels[1], labels[0]]);
    expect(backupKeys(labels[0] as string).length).toBeGreaterThan(0);

    const t0 = Date.now();
    const run = await env.agent(['retention', '--now', twoDaysLater()]);
    console.log(`retention took ${Date.now() - t0} ms`);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.kept.map((k: { label: string }) => k.label)).toEqual([labels[2]]);
    expect(result.expired).toEqual([labels[1], labels[0]]);
    expect(result.walFrom).toBe(labels[2]);
    expect(result.resticForgotten).toHaveLength(2);

    // The repository and the bucket agree: only the newest backup is left.
    const kept = await info();
    expect(kept.map((b) => b.label)).toEqual([labels[2]]);
    expect(backupKeys(labels[0] as string)).toEqual([]);
    expect(backupKeys(labels[1] as string)).toEqual([]);
    expect(backupKeys(labels[2] as string).length).toBeGreaterThan(0);
    expect(env.keys(bucketLayout.manifestsPrefix(env.serverId))).toEqual([
      bucketLayout.manifest(env.serverId, labels[2] as string),
      bucketLayout.manifestSignature(env.serverId, labels[2] as string),
    ]);
    expect(await resticSnapshotTags()).toEqual([['kumiko', `label:${labels[2]}`]]);
    // WAL older than the kept backup is gone; the rest of the sequence stays.
    const walAfter = walSegments();
    const keptStart = kept[0]?.archive.start as string;
    expect(walAfter.filter((s) => s < keptStart)).toEqual([]);
    expect(walBefore.filter((s) => s < keptStart).length).toBeGreaterThan(0);
    expect(walAfter.length).toBeGreaterThan(0);

    const state = JSON.parse(fs.readFileSync(path.join(env.config.stateDir, 'state.json'), 'utf8'));
    expect(state.lastRetention).toMatchObject({ ok: true });
    expect(state.lastRetention.message).toContain('expired 2');
  });

  it('keeps a full backup that a kept incremental builds on', async () => {
    const snap = await env.agent(['snapshot']);
    expect(snap.code, snap.stderr).toBe(0);
    const incr = JSON.parse(snap.stdout);
    expect(incr.type).toBe('incr');
    const run = await env.agent(['retention', '--now', twoDaysLater()]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.kept.map((k: { label: string }) => k.label)).toEqual([incr.label]);
    expect(result.keptAsDependency).toEqual([labels[2]]);
    expect(result.expired).toEqual([]);
    expect((await info()).map((b) => b.label)).toEqual([labels[2], incr.label]);
  });

  it('records a failed run in state and exits 1 with the failing step', async () => {
    const broken = {
      ...env.config,
      pgbackrest: { configPath: path.join(env.dir, 'missing.conf') },
    };
    env.writeConfig(broken);
    try {
      const run = await env.agent(['retention']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^kumiko-agent retention: pgbackrest info: /m);
      const state = JSON.parse(
        fs.readFileSync(path.join(env.config.stateDir, 'state.json'), 'utf8'),
      );
      expect(state.lastRetention.ok).toBe(false);
    } finally {
      env.writeConfig(env.config);
    }
  });
});
