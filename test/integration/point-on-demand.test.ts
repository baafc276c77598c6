import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { pointCommand } from '../../electron/cli/point-commands';
import type {
  Catalog,
  Job,
  PointCreateResult,
  RestorePlan,
  ScratchEnvironment,
  ServerHealth,
} from '../../shared/contract';
import { POINT_HEAL_JOB_PHASES, POINT_JOB_PHASES } from '../../shared/contract/point-phases';
import { AgentConfig } from '../../shared/agent/config';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { parseArchiveFileName } from '../../shared/catalog';
import { startInstalledAgent, type InstalledAgent } from '../harness';
import { pidsWithArgument } from '../harness/proc-table';
import { runCommand } from '../harness/run-command';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// A recovery point on demand (issue 21 §1), against the real stack: PostgreSQL 15 behind a
// private sshd, the agent installed over SSH, its bucket on the TLS S3 server, a writer
// committing beside it (marker rows and pgbench). The app asks the agent for a point with a
// note; the point must show in the catalog with that note (from the manifest the agent signed),
// and a restore to it must pass its checks. A second request while the repository is in use
// must be refused, saying so, and start nothing.
//
// A recovery point also proves its own attached files (issue 21 §2), last in this file since it
// damages the repository and heals it: one pack of attached-file data is deleted from the
// bucket; restic 0.14 still lists its blobs and the next backup reuses them, succeeding. The
// point must fail (POINT_FILES_MISSING), the heartbeat open an incident and the console's tile
// offer the heal; the heal (one action) must make a new point whose files restore from the
// bucket alone byte-identical to the server's.

let fx: InstalledAgent | undefined;
let load: WriteLoad | undefined;

beforeAll(async () => {
  fx = await startInstalledAgent({ chinook: false });
  load = await startWriteLoad(fx.pg, { markerEveryMs: 100 });
}, 240_000);

afterAll(async () => {
  await load?.stop();
  await fx?.stop();
}, 180_000);

const f = () => {
  if (!fx) throw new Error('fixture not started');
  return fx;
};
const stateDir = () => path.join(f().remoteRoot, 'var/lib/kumiko-agent');
const NOTE = 'Vor dem Upgrade auf 4.2 – „Rechnungen“ ✓';

describe('a recovery point on demand', () => {
  it('is taken under write load, shows in the catalog with its note and restores', async () => {
    const a = f();
    const markersBefore = load?.markers ?? 0;
    const phases: string[] = [];
    const job = await a.runJob('point.create', { serverId: a.serverId, note: NOTE }, (j) => {
      if (j.kind === 'point.create' && j.phase && phases.at(-1) !== j.phase) phases.push(j.phase);
    });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(phases.filter((p) => p !== 'starting')).toEqual([...POINT_JOB_PHASES]);
    const point = job.result as PointCreateResult;
    expect(point).toMatchObject({ serverId: a.serverId, note: NOTE, inCatalog: true });
    expect(load?.markers ?? 0).toBeGreaterThan(markersBefore);

    // The catalog (from the bucket) lists it, with the note from its verified manifest.
    const catalog = await a.call<Catalog>('catalog.get', { serverId: a.serverId });
    const listed = catalog.backups.find((b) => b.label === point.label);
    expect(listed?.manifest).toMatchObject({ signature: 'valid', note: NOTE });
    expect(listed?.timeStop).toBe(new Date(point.at).toISOString());
    // The daily point the installer took has no note.
    expect(catalog.backups.filter((b) => b.manifest?.note).map((b) => b.label)).toEqual([
      point.label,
    ]);

    const request = {
      serverId: a.serverId,
      target: { kind: 'point', label: point.label },
      destination: { kind: 'scratch' },
    };
    const plan = await a.call<RestorePlan>('restore.plan', request);
    expect(plan.baseBackup.label).toBe(point.label);
    const restored = await a.runJob('restore.start', { ...request, keepHours: 1 });
    expect(restored.state, JSON.stringify(restored.error)).toBe('succeeded');
    const env = restored.result as ScratchEnvironment;
    expect(env.checks.map((c) => [c.name, c.ok])).toContainEqual(['manifest-match', true]);
    expect(env.checks.filter((c) => !c.ok)).toEqual([]);
    expect((await a.call<ScratchEnvironment>('scratch.drop', { id: env.id })).state).toBe(
      'removed',
    );
  }, 240_000);

  it('refuses a second point while one runs, and one while the agent has its repository', async () => {
    const a = f();
    // From the app: the second request while its own point runs.
    const { jobId } = await a.call<{ jobId: string }>('point.create', { serverId: a.serverId });
    const second = await a.call('point.create', { serverId: a.serverId }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 'AGENT_BUSY' });
    expect((second as Error).message).toMatch(/already being taken on db1; nothing new/);
    expect((await a.core.jobs.wait(jobId)).state).toBe('succeeded');

    // On the server: the agent's own snapshot (as its daemon or an admin's shell runs it)
    // holds the repository lock while the app asks.
    const bundle = path.join(a.remoteRoot, 'opt/kumiko-agent/kumiko-agent.cjs');
    const config = path.join(a.remoteRoot, 'etc/kumiko-agent/config.json');
    const own = spawn(a.agentNode, [bundle, 'snapshot', '--config', config], {
      stdio: 'ignore',
    });
    const ownEnded = new Promise<number | null>((r) => own.once('exit', r));
    const lock = path.join(stateDir(), 'locks/repository.lock');
    await expect.poll(() => fs.existsSync(lock), { timeout: 10_000, interval: 50 }).toBe(true);
    const pointsBefore = (await a.call<Catalog>('catalog.get', { serverId: a.serverId })).backups
      .length;
    const busy: Job = await a.runJob('point.create', { serverId: a.serverId, note: 'zweiter' });
    expect(busy.state).toBe('failed');
    expect(busy.error?.code).toBe('AGENT_BUSY');
    expect(busy.error?.message).toMatch(
      /A snapshot, retention run or drill is running on db1 right now, so no recovery point was started/,
    );
    expect(await ownEnded).toBe(0);
    // Only the agent's own point was added: the refused one started nothing.
    const after = await a.call<Catalog>('catalog.get', { serverId: a.serverId });
    expect(after.backups.length).toBe(pointsBefore + 1);
    expect(after.backups.some((b) => b.manifest?.note === 'zweiter')).toBe(false);
    expect(fs.readdirSync(path.join(stateDir(), 'app-runs'))).toEqual([]);
  }, 180_000);

  it('is taken from the CLI: --wait --json prints the point, without --wait it returns once started', async () => {
    const a = f();
    const cli = async (argv: string[]) => {
      let out = '';
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out += String(chunk);
        return true;
      });
      try {
        const code = await pointCommand(a.core, parseArgs(argv), argv.includes('--json'));
        return { code, json: JSON.parse(out) as { ok: boolean; value?: Record<string, unknown> } };
      } finally {
        spy.mockRestore();
      }
    };
    const waited = await cli([
      'point',
      'create',
      '--server',
      a.serverId,
      '--label',
      'CLI-Punkt',
      '--wait',
      '--json',
    ]);
    expect(waited.code).toBe(0);
    expect(waited.json).toMatchObject({ ok: true, value: { note: 'CLI-Punkt', inCatalog: true } });

    const started = await cli(['point', 'create', '--server', a.serverId, '--json']);
    expect(started.code).toBe(0);
    expect(started.json).toMatchObject({ ok: true, value: { started: true } });
    const job = await a.core.jobs.wait(String(started.json.value?.jobId));
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');

    const usage = await cli(['point', 'create', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.json).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }, 120_000);

  it('refuses a note that is not one line of printable text, before anything starts', async () => {
    const a = f();
    for (const note of ['zwei\nZeilen', 'x'.repeat(201), '   ', 'rechts\u202Elinks']) {
      const refused = await a
        .call('point.create', { serverId: a.serverId, note })
        .catch((e: unknown) => e);
      expect(refused, JSON.stringify(note)).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('stops the agent’s backup when the admin cancels, leaving no process and no lock', async () => {
    const a = f();
    const before = (await a.call<Catalog>('catalog.get', { serverId: a.serverId })).backups.length;
    let cancelled: Promise<unknown> | null = null;
    const job = await a.runJob('point.create', { serverId: a.serverId }, (j) => {
      if (j.kind === 'point.create' && j.phase === 'backup' && !cancelled) {
        cancelled = a.call('jobs.cancel', { id: j.id });
      }
    });
    await cancelled;
    expect(job.state).toBe('cancelled');
    // The agent was stopped, not left behind: no snapshot or pgBackRest backup runs, the
    // repository lock is free and the app's run folder gone.
    const commandLines = pidsWithArgument(a.remoteRoot).map((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    });
    expect(commandLines.filter((c) => / snapshot |pgbackrest.* backup /.test(c))).toEqual([]);
    expect(fs.existsSync(path.join(stateDir(), 'locks/repository.lock'))).toBe(false);
    expect(fs.readdirSync(path.join(stateDir(), 'app-runs'))).toEqual([]);
    const after = await a.call<Catalog>('catalog.get', { serverId: a.serverId, refresh: true });
    expect(after.backups.filter((b) => b.manifest).length).toBeLessThanOrEqual(before);
  }, 120_000);

  it('after a WAL segment is lost, a point on demand makes later times restorable again from its end', async () => {
    const a = f();
    // Segments archived after the newest point, then one in their middle lost from the bucket.
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      made.push(await a.pg.psql('SELECT pg_walfile_name(pg_switch_wal())'));
      await new Promise((r) => setTimeout(r, 1_100));
    }
    await expect
      .poll(() => a.pg.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"), {
        timeout: 60_000,
        interval: 250,
      })
      .toSatisfy((archived: string) => archived >= (made.at(-1) as string));
    const victim = made[1] as string;
    const prefix = `${bucketLayout.pgbackrestPrefix(a.serverId)}archive/`;
    const key = a.s3
      .listKeys(a.bucket, prefix)
      .find(
        (k) =>
          parseArchiveFileName(k.slice(k.lastIndexOf('/') + 1))?.kind === 'segment' &&
          k.includes(`/${victim}-`),
      );
    if (!key) throw new Error(`segment ${victim} not in the bucket`);
    const objectDir = path.dirname(path.join(a.s3.dataDir, a.bucket, key));
    for (const file of fs.readdirSync(objectDir)) {
      if (file.startsWith(path.basename(key))) fs.rmSync(path.join(objectDir, file));
    }
    const gapOf = async () =>
      (await a.call<Catalog>('catalog.get', { serverId: a.serverId, refresh: true })).gaps.find(
        (g) => g.missingSegment === victim,
      );
    // No point after the gap yet: nothing after it is restorable (the console offers a point).
    expect(await gapOf()).toMatchObject({ to: null });

    const job = await a.runJob('point.create', { serverId: a.serverId, note: 'nach der Lücke' });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const point = job.result as PointCreateResult;
    // "Restorable again from": the new point's end, the first moment after the gap.
    expect((await gapOf())?.to).toBe(new Date(point.at).toISOString());
  }, 180_000);
});

/** restic against the agent's repository, with a cache of its own (the bucket alone). */
function restic(args: string[], check = true) {
  const a = f();
  const config = AgentConfig.parse(
    JSON.parse(fs.readFileSync(path.join(a.remoteRoot, 'etc/kumiko-agent/config.json'), 'utf8')),
  );
  return runCommand('restic', ['--cacert', a.s3.caFile, '--no-cache', ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: f().dir,
      RESTIC_REPOSITORY: config.restic.repository,
      RESTIC_PASSWORD_FILE: config.restic.passwordFile,
      AWS_ACCESS_KEY_ID: a.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: a.s3.secretAccessKey,
    },
    name: `restic ${args[0]}`,
    check,
    timeoutMs: 120_000,
  });
}

/** Deletes one pack holding attached-file data (not trees) from the bucket; returns its id. */
async function deleteDataPack(): Promise<string> {
  const a = f();
  const packs = a.s3.listKeys(a.bucket, `${bucketLayout.resticPath(a.serverId)}/data/`);
  for (const key of packs) {
    const id = path.basename(key);
    const found = await restic(['find', '--pack', id, '--json']);
    if (found.stdout.trim() === '' || found.stdout.trim() === '[]') continue;
    const file = path.join(a.s3.dataDir, a.bucket, key);
    for (const name of fs.readdirSync(path.dirname(file))) {
      if (name.startsWith(id)) fs.rmSync(path.join(path.dirname(file), name));
    }
    return id;
  }
  throw new Error(`no data pack among ${packs.length} packs`);
}

describe('a recovery point proves its own attached files', () => {
  let pack = '';
  let failedLabel = '';

  it('fails the next point when a pack is gone from the bucket, with an incident and the heal offered', async () => {
    const a = f();
    pack = await deleteDataPack();
    // Production goes on: a new upload beside the old ones, whose data the deleted pack held.
    fs.writeFileSync(path.join(a.attachedDir as string, 'invoice-new.pdf'), '%PDF-1.4 new\n');

    const markers = load?.markers ?? 0;
    const job = await a.runJob('point.create', { serverId: a.serverId });
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('POINT_FILES_MISSING');
    expect(job.error?.message).toContain(pack.slice(0, 8));
    expect(job.error?.message).toMatch(/Heal it/);
    expect(load?.markers ?? 0).toBeGreaterThan(markers);

    // The point does not count: its backup has no manifest, so nothing restores files from it.
    const state = JSON.parse(fs.readFileSync(path.join(stateDir(), 'state.json'), 'utf8')) as {
      lastRecoveryPoint: { label: string; ok: boolean };
      lastRecoveryPointAttempt: { ok: boolean; filesMissing?: boolean };
    };
    expect(state.lastRecoveryPoint.ok).toBe(false);
    expect(state.lastRecoveryPointAttempt).toMatchObject({ ok: false, filesMissing: true });
    failedLabel = state.lastRecoveryPoint.label;
    const catalog = await a.call<Catalog>('catalog.get', { serverId: a.serverId });
    expect(catalog.backups.find((b) => b.label === failedLabel)?.manifest ?? null).toBeNull();

    // The next heartbeat opens the incident; the console's tile says so and offers the heal.
    expect(a.agent(['heartbeat']).code).toBe(0);
    const incidents = JSON.parse(
      fs.readFileSync(path.join(stateDir(), 'incidents.json'), 'utf8'),
    ) as { open: Record<string, { message: string }> };
    expect(incidents.open['recovery-point-failed']?.message).toMatch(/attached files check/);
    const health = await a.call<ServerHealth>('status.get', { serverId: a.serverId });
    const tile = health.tiles.find((t) => t.id === 'recoveryPointAge');
    expect(tile).toMatchObject({ level: 'critical', action: 'healFiles' });
  }, 300_000);

  it('heals in one action: a new point whose files restore byte-identical from the bucket', async () => {
    const a = f();
    const phases: string[] = [];
    const job = await a.runJob('point.create', { serverId: a.serverId, heal: true }, (j) => {
      if (j.kind === 'point.create' && j.phase && phases.at(-1) !== j.phase) phases.push(j.phase);
    });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(phases.filter((p) => p !== 'starting')).toEqual([...POINT_HEAL_JOB_PHASES]);
    const point = job.result as PointCreateResult;
    expect(point.inCatalog).toBe(true);

    // The files of the new point, from the bucket alone (no cache), against the server's.
    const snapshots = JSON.parse(
      (await restic(['snapshots', '--json', '--tag', `label:${point.label}`])).stdout,
    ) as Array<{ id: string }>;
    expect(snapshots).toHaveLength(1);
    const target = path.join(fs.mkdtempSync(path.join(f().dir, 'restored-')), 'files');
    await restic(['restore', (snapshots[0] as { id: string }).id, '--target', target]);
    const source = a.attachedDir as string;
    const names = fs.readdirSync(source).sort();
    expect(names).toContain('invoice-new.pdf');
    const restored = path.join(target, source);
    expect(fs.readdirSync(restored).sort()).toEqual(names);
    for (const name of names) {
      expect(
        fs.readFileSync(path.join(restored, name)).equals(fs.readFileSync(path.join(source, name))),
        name,
      ).toBe(true);
    }

    // The heal resolves the incident at the next heartbeat, and the tile offers nothing more.
    expect(a.agent(['heartbeat']).code).toBe(0);
    const incidents = JSON.parse(
      fs.readFileSync(path.join(stateDir(), 'incidents.json'), 'utf8'),
    ) as { open: Record<string, unknown> };
    expect(incidents.open['recovery-point-failed']).toBeUndefined();
    const health = await a.call<ServerHealth>('status.get', { serverId: a.serverId });
    expect(health.tiles.find((t) => t.id === 'recoveryPointAge')?.action).toBeUndefined();
  }, 300_000);
});
