import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RecoveryPointManifest } from '../../shared/agent/manifest';
import type { ResolvedRecovery } from '../../shared/catalog/model';
import type { Job } from '../../shared/contract';
import { formatProductionPlan, formatProductionResult } from '../../electron/cli/restore-commands';
import { JobRunner, type JobContext } from '../../electron/jobs/runner';
import { remoteLayout } from '../../electron/services/agent-install/layout';
import { EventBus } from '../../electron/services/events/event-bus';
import { runProductionRestore } from '../../electron/services/restore/production-job';
import {
  assertConfirmed,
  buildProductionPlan,
  productionConfirmation,
} from '../../electron/services/restore/production-plan';
import { withEstimate } from '../../electron/services/restore/production-progress';
import type { RemoteShell } from '../../electron/services/agent-install/remote-shell';
import {
  debianCluster,
  postmasterOptions,
  privateSettings,
} from '../../agent/restore/production-control';
import { productionRestoreArgs } from '../../agent/restore/production-restore';
import type { AgentConfig } from '../../shared/agent/config';
import { AgentProductionSpec } from '../../shared/agent/restore';
import { spawn } from 'node:child_process';
import { openDatabase } from '../../electron/services/store/database';
import { JobsRepo } from '../../electron/services/store/jobs-repo';
import { productionPlan, productionResult, SERVER_ID } from './renderer-fakes';

const layout = remoteLayout('/');
const cluster = { dataDirectory: '/var/lib/postgresql/15/main' };

function manifest(databases: [string, number[]][]): RecoveryPointManifest {
  return {
    label: '20261126-020000F',
    databases: databases.map(([name, rows]) => ({
      name,
      isolation: 'repeatable read',
      tables: rows.map((rowCount, i) => ({
        schema: 'public',
        table: `t${i}`,
        rowCount,
        checksum: '0'.repeat(32),
      })),
    })),
  } as unknown as RecoveryPointManifest;
}

const resolved: ResolvedRecovery = {
  pgbackrestType: 'time',
  backup: {
    label: '20261126-020000F',
    type: 'full',
    timeStart: '2026-11-26T02:00:00Z',
    timeStop: '2026-11-26T02:00:10Z',
    lsnStart: '0/2000028',
    lsnStop: '0/2000100',
    walStart: '000000010000000000000002',
    walStop: '000000010000000000000002',
    sizeBytes: 300e6,
    tier: 'daily',
    manifest: null,
  },
  targetTime: '2026-11-26T13:00:05.000Z',
  timeline: 1,
  wal: {
    firstSegment: '000000010000000000000002',
    lastSegment: '000000010000000000000009',
    segments: 8,
    bytes: 8e6,
  },
  attachedFiles: {
    label: '20261126-020000F',
    resticSnapshotId: 'abcdef12',
    takenAt: '2026-11-26T02:00:40.000Z',
  },
  warnings: [],
  warningWords: [],
};

describe('restore over production: the name to type', () => {
  it('is the largest non-template database of the newest manifest', () => {
    const confirm = productionConfirmation(
      manifest([
        ['postgres', [5]],
        ['erp', [1000, 200]],
        ['template1', [99999]],
        ['crm', [1200]],
      ]),
      'db1',
    );
    expect(confirm.name).toBe('erp');
    expect(confirm.source).toBe('manifest');
    expect(confirm.databases.map((d) => [d.name, d.rows, d.tables])).toEqual([
      ['erp', 1200, 2],
      ['crm', 1200, 1],
      ['postgres', 5, 1],
    ]);
  });

  it('falls back to the server name without a manifest or databases', () => {
    expect(productionConfirmation(null, 'ERP production')).toMatchObject({
      name: 'ERP production',
      source: 'server-name',
      databases: [],
    });
    expect(productionConfirmation(manifest([]), 'db1').name).toBe('db1');
  });

  it('must be typed exactly', () => {
    expect(() => assertConfirmed({ confirmName: 'erp' }, 'erp')).not.toThrow();
    for (const typed of ['ERP', 'erp ', '', 'db1']) {
      expect(() => assertConfirmed({ confirmName: 'erp' }, typed)).toThrow(
        expect.objectContaining({ code: 'CONFIRMATION_MISMATCH' }),
      );
    }
  });
});

describe('restore over production: plan and commands', () => {
  it('adds the safety snapshot and downtime to the restore estimate and says what happens', () => {
    const request = {
      serverId: crypto.randomUUID(),
      target: { kind: 'time' as const, time: resolved.targetTime as string },
    };
    const plan = buildProductionPlan(
      request,
      resolved,
      productionConfirmation(manifest([['erp', [10]]]), 'db1'),
      { dataDirectory: cluster.dataDirectory, port: 5432 },
    );
    expect(plan.request).toEqual(request);
    expect(plan.confirmName).toBe('erp');
    expect(plan.attachedFiles).toBeNull();
    expect(plan.estimatedSeconds).toBe(plan.safetySnapshotSeconds + plan.downtimeSeconds);
    expect(plan.downtimeSeconds).toBeGreaterThan(plan.safetySnapshotSeconds - 10);
    expect(plan.warnings).toEqual([
      'Attached files are not touched. Restore them from recovery point 20261126-020000F into a scratch folder if you need them as they were.',
    ]);
  });

  it('restores with --delta and keeps archiving (unlike a scratch restore)', () => {
    const config = {
      stateDir: layout.stateDir,
      pg: { dataDirectory: cluster.dataDirectory },
    } as unknown as AgentConfig;
    const args = productionRestoreArgs(config, {
      type: resolved.pgbackrestType,
      backupLabel: resolved.backup.label,
      targetTime: resolved.targetTime,
      timeline: resolved.timeline,
    });
    expect(args).toContain('--delta');
    expect(args.join(' ')).not.toContain('archive-mode');
    expect(args).toContain(`--pg1-path=${cluster.dataDirectory}`);
    expect(args).toContain('--set=20261126-020000F');
    expect(args).toContain('--type=time');
    expect(args).toContain('--target-action=promote');
    expect(args).toContain(`--lock-path=${layout.lockPath}`);
  });

  it('starts the restored cluster privately, logging like a scratch cluster, still archiving', () => {
    const settings = privateSettings(`${layout.stateDir}/production-restore/sock`, 5432);
    expect(settings).toContain('"-c" "listen_addresses="');
    expect(settings).toContain(
      `"-c" "unix_socket_directories=${layout.stateDir}/production-restore/sock"`,
    );
    expect(settings).toContain('"-c" "lc_messages=C"');
    expect(settings).toContain('"-c" "log_timezone=UTC"');
    expect(settings).toContain('"-c" "log_startup_progress_interval=1s"');
    expect(settings).not.toContain('archive');
    expect(settings).not.toContain('port=');
    expect(() => privateSettings('/tmp/a b', 5432)).toThrow(/unusable socket folder/);
  });

  it('reads how PostgreSQL runs: manager and postmaster options', () => {
    expect(
      postmasterOptions(
        '/usr/lib/postgresql/15/bin/postgres "-D" "/var/lib/postgresql/15/main" "-c" "config_file=/etc/postgresql/15/main/postgresql.conf"',
      ),
    ).toBe(
      '"-D" "/var/lib/postgresql/15/main" "-c" "config_file=/etc/postgresql/15/main/postgresql.conf"',
    );
    expect(postmasterOptions('/usr/lib/postgresql/15/bin/postgres')).toBe('');
    const listing = [
      '15  main    5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log',
      '15  other   5433 down   postgres /srv/other                  /var/log/postgresql/postgresql-15-other.log',
    ].join('\n');
    expect(debianCluster(listing, '/var/lib/postgresql/15/main')).toEqual({
      version: '15',
      name: 'main',
    });
    expect(debianCluster(listing, '/srv/elsewhere')).toBeNull();
  });
});

describe('restore over production: the CLI text', () => {
  it('names what is replaced and the name to type, then the safety snapshot that undoes it', () => {
    const plan = formatProductionPlan(productionPlan(), 'Europe/Berlin');
    expect(plan).toContain('RESTORE OVER PRODUCTION');
    expect(plan).toContain('erp (1250000 rows), postgres (0 rows)');
    expect(plan).toContain('type the production database name: erp');
    expect(plan).toContain('2026-11-26 14:00:05 Europe/Berlin = 2026-11-26 13:00:05 UTC');
    const result = formatProductionResult(productionResult(), 'UTC');
    expect(result).toContain('now on timeline 2; PostgreSQL was stopped for 6 s');
    expect(result).toContain(
      `kumiko restore --server ${SERVER_ID} --point 20261101-000013F_20261126-142300I --over-production`,
    );
    expect(result).toContain('ok        archiving');
  });
});

// The job runs the agent's `restore-production` on the server through the same scripts as over
// SSH (here through `sh -s` on this machine), against a fake agent: it pauses the scheduler
// (`stop`), runs the restore, and starts the scheduler again (`supervise`).
const FAKE_AGENT = `
const fs = require('node:fs');
const args = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(args[args.indexOf('--config') + 1], 'utf8'));
fs.appendFileSync(config.calls, args[0] + '\\n');
if (args.includes('--spec')) fs.writeFileSync(config.calls + '.spec', args[args.indexOf('--spec') + 1]);
const progress = (p) => process.stderr.write('@production ' + JSON.stringify(p) + '\\n');
const safety = { label: '20261126-130010F_20261126-130100I', at: '2026-11-26T13:01:05.000Z', manifestKey: 'k' };
if (args[0] === 'stop') { process.stdout.write('stopped the daemon (pid 1)\\n'); process.exit(0); }
if (args[0] === 'supervise') { fs.writeFileSync(config.pidFile, String(process.pid)); process.exit(0); }
progress({ phase: 'plan', message: 'reading', done: 0, total: 1 });
progress({ phase: 'safety-snapshot', message: 'taking the safety snapshot' });
if (config.mode === 'snapshot-fails') {
  process.stderr.write('kumiko-agent restore-production: safety snapshot: the bucket is unreachable; production was not touched\\n');
  process.exit(1);
}
progress({ phase: 'stop', message: 'stopping', done: 0, total: 1 });
progress({ phase: 'stop', message: 'stopped', done: 1, total: 1 });
progress({ phase: 'restore', message: 'restoring' });
if (config.mode === 'restore-fails') {
  process.stdout.write(JSON.stringify({ ok: false, safetySnapshot: safety, stage: 'restore', error: 'repository unreachable' }));
  process.exit(1);
}
progress({ phase: 'replay', message: 'replaying', done: 5, total: 10 });
progress({ phase: 'verify', message: 'checked', done: 1, total: 1 });
progress({ phase: 'start-capture', message: 'done', done: 2, total: 2 });
process.stdout.write(JSON.stringify({ ok: true, safetySnapshot: safety, dataDirectory: '/data', port: 5432,
  timeline: 2, stoppedAt: '2026-11-26T13:01:06.000Z', startedAt: '2026-11-26T13:01:10.000Z',
  checks: [{ name: 'archiving', ok: true, detail: 'archived' }] }));
`;

/** RemoteShell.run, locally: the script on stdin of `sh -s` with `set -e`. */
const localShell = {
  run: (step: string, script: string, options: { allowFailure?: boolean } = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => {
        if (code !== 0 && !options.allowFailure) reject(new Error(`${step}: ${stderr}`));
        else resolve({ code, stdout, stderr });
      });
      child.stdin.end(`set -e\n${script}\n`);
    }),
} as unknown as RemoteShell;

/** A server root with the fake agent installed where the layout says, in `mode`. */
function fakeServer(mode: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-production-job-'));
  onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
  const l = remoteLayout(root);
  for (const d of [l.libDir, l.etcDir, l.stateDir]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(l.bundlePath, FAKE_AGENT);
  const calls = path.join(root, 'calls');
  fs.writeFileSync(calls, '');
  fs.writeFileSync(
    l.configPath,
    JSON.stringify({ mode, calls, pidFile: `${l.stateDir}/agent.pid` }),
  );
  return {
    layout: l,
    calls: () => fs.readFileSync(calls, 'utf8').trim().split('\n'),
    /** The --spec the job gave the agent, as the real agent parses it. */
    spec: () => AgentProductionSpec.safeParse(JSON.parse(fs.readFileSync(`${calls}.spec`, 'utf8'))),
  };
}

function jobContext(): JobContext & { phases: string[]; held: (string | null)[] } {
  const phases: string[] = [];
  const held: (string | null)[] = [];
  return {
    signal: new AbortController().signal,
    jobId: crypto.randomUUID(),
    phases,
    held,
    progress: (phase) => {
      if (phases[phases.length - 1] !== phase) phases.push(phase);
    },
    holdCancel: (reason) => held.push(reason),
  };
}

function input(server: ReturnType<typeof fakeServer>, job: JobContext) {
  const l = server.layout;
  return {
    job,
    request: {
      serverId: crypto.randomUUID(),
      target: { kind: 'time' as const, time: resolved.targetTime as string },
    },
    resolved,
    estimates: { safetySnapshot: 5, restore: 5 },
    agent: { scheduler: 'daemon' as const, nodePath: process.execPath, layout: l },
    pollMs: 20,
    openHost: async () => ({
      shell: localShell,
      agent: {
        node: process.execPath,
        bundle: l.bundlePath,
        config: l.configPath,
        stateDir: l.stateDir,
      },
      configDir: null,
      close: () => undefined,
    }),
    undoHint: (s: { label: string }) => `restore recovery point ${s.label} over production.`,
  };
}

describe('restore over production: the job', () => {
  it('changes nothing when the safety snapshot fails, and starts the agent again', async () => {
    const server = fakeServer('snapshot-fails');
    const job = jobContext();
    const failure = runProductionRestore(input(server, job));
    await expect(failure).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('the bucket is unreachable');
    expect(message).toContain('Production was not touched');
    expect(server.calls()).toEqual(['stop', 'restore-production', 'supervise']);
    expect(job.held).toEqual([null]);
    // The agent's spec is strict: a key it does not know refuses every restore over production.
    const spec = server.spec();
    expect(spec.error?.issues ?? []).toEqual([]);
  });

  it('names the safety snapshot and the state left behind when the restore fails after the stop', async () => {
    const server = fakeServer('restore-fails');
    const job = jobContext();
    const failure = runProductionRestore(input(server, job));
    await expect(failure).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('20261126-130010F_20261126-130100I');
    expect(message).toContain('only partly restored: do not start it');
    expect(server.calls()).toEqual(['stop', 'restore-production', 'supervise']);
    // Cancel was refused from the stop on, and allowed again at the end.
    expect(job.held[0]).toMatch(/half-restored/);
    expect(job.held[job.held.length - 1]).toBeNull();
  });

  it('reports the phases and the result of a restore that passed', async () => {
    const server = fakeServer('pass');
    const job = jobContext();
    const result = await runProductionRestore(input(server, job));
    expect(result).toMatchObject({ timeline: 2, dataDirectory: '/data', port: 5432 });
    expect(result.safetySnapshot.label).toBe('20261126-130010F_20261126-130100I');
    expect(job.phases).toEqual([
      'plan',
      'safety-snapshot',
      'stop',
      'restore',
      'replay',
      'verify',
      'start-capture',
    ]);
  });
});

describe('job runner: cancel held by the job', () => {
  it('refuses cancel with the reason while held, and the job still succeeds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-production-jobs-'));
    const db = openDatabase(dir);
    onTestFinished(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const repo = new JobsRepo(db);
    const runner = new JobRunner({ repo, events: new EventBus(), throttleMs: 0 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let held: () => void = () => undefined;
    const isHeld = new Promise<void>((r) => (held = r));
    const started = runner.start({
      kind: 'test',
      title: 'critical',
      run: async (ctx) => {
        ctx.holdCancel?.('half-way: wait');
        held();
        await gate;
        ctx.holdCancel?.(null);
        return 'done';
      },
    });
    await isHeld;
    await expect(runner.cancel(started.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'half-way: wait',
    });
    release();
    const finished: Job = await runner.wait(started.id);
    expect(finished.state).toBe('succeeded');
    expect(finished.result).toBe('done');
  });

  it('reports time against an estimate for steps without progress of their own', async () => {
    const seen: [string, number, number | null | undefined][] = [];
    const result = await withEstimate(
      { progress: (phase, done, total) => seen.push([phase, done, total]) },
      'restore',
      12.4,
      async () => 'ok',
    );
    expect(result).toBe('ok');
    expect(seen[0]).toEqual(['restore', 0, 12]);
    expect(seen[seen.length - 1]).toEqual(['restore', 12, 12]);
  });
});
