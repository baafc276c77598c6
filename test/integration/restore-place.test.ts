import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentPlaceResult } from '../../shared/agent/rebuild';
import { AgentRestoreResult } from '../../shared/agent/restore';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { osUser } from '../harness/os-user';
import { freePort } from '../harness/ports';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 19: a rebuild's restore puts the verified cluster in place in the same agent run
// (`restore --spec {…, place}`), so a second agent start and the app's round trips are not
// part of the time to recovery. Run here against the real agent, PostgreSQL with a writer
// committing beside it, pgBackRest and the TLS S3 bucket: a place that cannot be done (its
// data directory is taken) leaves the verified scratch environment and says why, and
// `rebuild-place` then finishes it from there; a place that can be done leaves no scratch
// environment and a cluster that serves the recovery point's rows.

let fx: InstalledAgent;
let load: WriteLoad;
let label = '';
let places = '';
/** Postmasters the test started through the agent, stopped by PID at the end. */
const placedDirs: string[] = [];

beforeAll(async () => {
  fx = await startInstalledAgent({ chinook: false, attachedFiles: false });
  load = await startWriteLoad(fx.pg);
  while (load.markers < 20) await new Promise((r) => setTimeout(r, 100));
  const snap = fx.agent(['snapshot', '--type', 'full']);
  expect(snap.code, snap.stderr).toBe(0);
  label = (JSON.parse(snap.stdout) as { label: string }).label;
  // Where placed clusters go: root's folder, traversable for postgres like '/var/lib'.
  places = path.join(fx.dir, 'places');
  fs.mkdirSync(places, { mode: 0o755 });
  fs.chmodSync(fx.dir, 0o755);
}, 600_000);

afterAll(async () => {
  await load?.stop();
  for (const dir of placedDirs) {
    const pidFile = path.join(dir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) continue;
    try {
      process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {
      // Already gone.
    }
  }
  await fx?.stop();
}, 120_000);

/** `kumiko-agent restore` of the recovery point with a place; its verified result. */
function restoreAndPlace(id: string, dataDirectory: string, port: number): AgentRestoreResult {
  const spec = {
    id,
    restore: { type: 'immediate', backupLabel: label, targetTime: null, timeline: 1 },
    check: { kind: 'point', label },
    filesFrom: null,
    place: { dataDirectory, port, socketDirectory: fx.pg.socketDir },
  };
  const run = fx.agent(['restore', '--spec', JSON.stringify(spec)]);
  expect(run.code, run.stderr).toBe(0);
  const result = AgentRestoreResult.parse(JSON.parse(run.stdout));
  expect(result.checks.every((c) => c.ok)).toBe(true);
  return result;
}

/** A folder of the postgres user in `places`, 0755, like Debian's /var/lib/postgresql. */
function postgresHome(name: string): string {
  const postgres = osUser('postgres');
  const home = path.join(places, name);
  fs.mkdirSync(home, { mode: 0o755 });
  fs.chownSync(home, postgres.uid, postgres.gid);
  return home;
}

async function markersAt(port: number): Promise<number> {
  // Over TCP, as the application would (the socket admits the cluster's OS user by peer only).
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const rows = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM kumiko_marker');
    return rows.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

describe('a rebuild restore that puts the cluster in place itself', () => {
  it('keeps the verified restore when the place fails, and rebuild-place finishes it', async () => {
    const id = crypto.randomUUID();
    const taken = path.join(places, 'taken');
    fs.mkdirSync(taken);
    const port = await freePort();
    const result = restoreAndPlace(id, taken, port);
    expect(result.placed).toBeUndefined();
    expect(result.placeError).toMatch(/already exists/);
    // The verified scratch cluster is still there, untouched, for the place to be done again.
    expect(fs.existsSync(path.join(result.dataDirectory, 'PG_VERSION'))).toBe(true);
    expect(fs.readdirSync(taken)).toEqual([]);

    const target = path.join(places, 'after-retry');
    placedDirs.push(target);
    const retry = fx.agent([
      'rebuild-place',
      '--spec',
      JSON.stringify({ id, dataDirectory: target, port, socketDirectory: fx.pg.socketDir }),
    ]);
    expect(retry.code, retry.stderr).toBe(0);
    const placed = AgentPlaceResult.parse(JSON.parse(retry.stdout));
    expect(placed.dataDirectory).toBe(target);
    expect(fs.existsSync(result.root)).toBe(false);
    expect(await markersAt(port)).toBeGreaterThanOrEqual(20);
  }, 300_000);

  it('puts the verified cluster in place in the same run: no scratch environment is left', async () => {
    const id = crypto.randomUUID();
    const target = path.join(places, 'direct');
    placedDirs.push(target);
    const port = await freePort();
    const result = restoreAndPlace(id, target, port);
    expect(result.placeError).toBeUndefined();
    expect(result.placed).toMatchObject({ dataDirectory: target, port, resumed: false });
    expect(fs.existsSync(result.root)).toBe(false);
    expect(fs.existsSync(path.join(target, 'PG_VERSION'))).toBe(true);
    // The recovery point's rows, served by the placed cluster on its own port.
    expect(await markersAt(port)).toBeGreaterThanOrEqual(20);
  }, 300_000);

  it("below the cluster user's own folder (Debian's /var/lib/postgresql), that user makes the folders and moves the cluster in", async () => {
    const postgres = osUser('postgres');
    const home = postgresHome('pg-home');
    const target = path.join(home, '15', 'main');
    placedDirs.push(target);
    const port = await freePort();
    const result = restoreAndPlace(crypto.randomUUID(), target, port);
    expect(result.placeError).toBeUndefined();
    expect(result.placed).toMatchObject({ dataDirectory: target, port });
    for (const dir of [path.join(home, '15'), target]) {
      expect(fs.statSync(dir).uid, dir).toBe(postgres.uid);
    }
    expect(fs.existsSync(result.root)).toBe(false);
    expect(await markersAt(port)).toBeGreaterThanOrEqual(20);
  }, 300_000);

  it('a link the cluster user planted in its folder leads the move nowhere root could write', async () => {
    // postgres (anyone who runs SQL as a superuser can run commands as postgres) points the
    // folder the data directory goes into at a folder only root may write. Had root made the
    // folders or moved the data directory there, root's rights would follow the link.
    const postgres = osUser('postgres');
    const home = postgresHome('pg-home-linked');
    const rootOnly = path.join(places, 'root-only');
    fs.mkdirSync(rootOnly, { mode: 0o755 });
    fs.symlinkSync(rootOnly, path.join(home, '15'));
    fs.lchownSync(path.join(home, '15'), postgres.uid, postgres.gid);
    const result = restoreAndPlace(
      crypto.randomUUID(),
      path.join(home, '15', 'main'),
      await freePort(),
    );
    expect(result.placed).toBeUndefined();
    expect(result.placeError).toMatch(/move the data directory|Permission denied/);
    expect(fs.readdirSync(rootOnly)).toEqual([]);
    // The verified restore is kept (handed to postgres, not lost) for a place elsewhere.
    expect(fs.existsSync(path.join(result.root, 'handoff', 'data', 'PG_VERSION'))).toBe(true);
  }, 300_000);
});
