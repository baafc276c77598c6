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
import { AppError } from '../../electron/services/app-error';
import { EventBus } from '../../electron/services/events/event-bus';
import {
  runProductionRestore,
  productionRestoreCommand,
} from '../../electron/services/restore/production-job';
import {
  assertConfirmed,
  buildProductionPlan,
  productionConfirmation,
} from '../../electron/services/restore/production-plan';
import {
  parseControl,
  postmasterOptions,
  privateSettings,
  productionPaths,
} from '../../electron/services/restore/production-postgres';
import { withEstimate } from '../../electron/services/restore/production-progress';
import type { RestoreShell } from '../../electron/services/restore/restore-shell';
import type { RestoreSite } from '../../electron/services/restore/restore-site';
import { openDatabase } from '../../electron/services/store/database';
import { JobsRepo } from '../../electron/services/store/jobs-repo';
import { productionPlan, productionResult, SERVER_ID } from './renderer-fakes';

const layout = remoteLayout('/');
const cluster = {
  dataDirectory: '/var/lib/postgresql/15/main',
  port: 5432,
  socketDirectory: '/var/run/postgresql',
};

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
    const paths = productionPaths(layout, cluster);
    const command = productionRestoreCommand(
      { pgbackrestConfigPath: layout.pgbackrestConfigPath, stanza: 'main' },
      paths,
      resolved,
    );
    expect(command).toContain("'--delta'");
    expect(command).not.toContain('archive-mode');
    expect(command).toContain(`'--pg1-path=${cluster.dataDirectory}'`);
    expect(command).toContain("'--set=20261126-020000F'");
    expect(command).toContain("'--type=time'");
    expect(command).toContain("'--target-action=promote'");
    expect(command).toContain(`'--lock-path=${layout.lockPath}'`);
  });

  it('starts the restored cluster privately, logging like a scratch cluster, still archiving', () => {
    const settings = privateSettings(productionPaths(layout, cluster), 5432);
    expect(settings).toContain('"-c" "listen_addresses="');
    expect(settings).toContain(
      `"-c" "unix_socket_directories=${layout.stateDir}/production-restore/sock"`,
    );
    expect(settings).toContain('"-c" "lc_messages=C"');
    expect(settings).toContain('"-c" "log_timezone=UTC"');
    expect(settings).toContain('"-c" "log_startup_progress_interval=1s"');
    expect(settings).not.toContain('archive');
    expect(settings).not.toContain('port=');
  });

  it('reads how PostgreSQL runs: manager, postmaster options, identifier', () => {
    expect(
      postmasterOptions(
        '/usr/lib/postgresql/15/bin/postgres "-D" "/var/lib/postgresql/15/main" "-c" "config_file=/etc/postgresql/15/main/postgresql.conf"',
      ),
    ).toBe(
      '"-D" "/var/lib/postgresql/15/main" "-c" "config_file=/etc/postgresql/15/main/postgresql.conf"',
    );
    expect(postmasterOptions('/usr/lib/postgresql/15/bin/postgres')).toBe('');
    const control = parseControl(
      [
        'manager=systemd 15 main',
        'opts=/usr/bin/postgres "-D" "/data" "-p" "5432"',
        'running=yes',
        'log=/var/log/postgresql/main.log',
        'control=Database system identifier:           7312345678901234567',
      ].join('\n'),
      cluster,
    );
    expect(control).toEqual({
      cluster,
      manager: { kind: 'systemd', version: '15', name: 'main' },
      options: '"-D" "/data" "-p" "5432"',
      running: true,
      logFile: '/var/log/postgresql/main.log',
      systemIdentifier: '7312345678901234567',
    });
    // No file found (stderr was a pipe), or something that is not one absolute path: /dev/null.
    expect(parseControl('manager=pg_ctl\nlog=pipe:[123]', cluster).logFile).toBe('/dev/null');
    expect(parseControl('manager=pg_ctl', cluster).logFile).toBe('/dev/null');
    expect(parseControl('manager=pg_ctl\nrunning=no', cluster).manager).toEqual({
      kind: 'pg_ctl',
    });
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

/** A server that answers each step's script by its step name; records what ran. */
function fakeSite(fail: Record<string, string> = {}) {
  const steps: string[] = [];
  const shell = {
    ssh: { close: () => undefined },
    run: async (step: string) => {
      steps.push(step);
      if (fail[step]) throw new AppError('RESTORE_FAILED', `Step "${step}" failed: ${fail[step]}`);
      if (step === 'read how PostgreSQL runs') {
        return {
          code: 0,
          stdout:
            'manager=pg_ctl\nopts=/pg "-D" "/data"\nrunning=yes\ncontrol=Database system identifier: 1\n',
          stderr: '',
        };
      }
      if (step === 'pause the agent') return { code: 0, stdout: 'was=running\n', stderr: '' };
      if (step === 'safety snapshot') {
        return {
          code: 0,
          stdout: JSON.stringify({
            label: '20261126-130010F_20261126-130100I',
            at: '2026-11-26T13:01:05Z',
            manifestKey: 'k',
          }),
          stderr: '',
        };
      }
      return { code: 0, stdout: '', stderr: '' };
    },
  } as unknown as RestoreShell;
  const site: RestoreSite = {
    shell,
    osUser: 'postgres',
    pgVersion: '15',
    binDirectory: '/usr/lib/postgresql/15/bin',
    pgbackrestConfigPath: layout.pgbackrestConfigPath,
    stanza: 'main',
    scratchRoot: `${layout.stateDir}/scratch`,
    production: [cluster],
    restic: null,
  };
  return { site, steps };
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

function input(site: RestoreSite, job: JobContext) {
  return {
    job,
    request: {
      serverId: crypto.randomUUID(),
      target: { kind: 'time' as const, time: resolved.targetTime as string },
    },
    resolved,
    safetySnapshotSeconds: 5,
    agent: { scheduler: 'daemon' as const, nodePath: '/usr/bin/node', layout },
    openSite: async () => site,
    loadManifest: async () => null,
    undoHint: (s: { label: string }) => `restore recovery point ${s.label} over production.`,
  };
}

describe('restore over production: the job', () => {
  it('changes nothing when the safety snapshot fails, and starts the agent again', async () => {
    const { site, steps } = fakeSite({ 'safety snapshot': 'the bucket is unreachable' });
    const job = jobContext();
    await expect(runProductionRestore(input(site, job))).rejects.toMatchObject({
      code: 'RESTORE_FAILED',
    });
    expect(steps).toEqual([
      'read how PostgreSQL runs',
      'pause the agent',
      'safety snapshot',
      'start the agent again',
    ]);
    expect(job.held).toEqual([null]);
  });

  it('names the safety snapshot and the state left behind when the restore fails after the stop', async () => {
    const { site, steps } = fakeSite({ 'pgbackrest restore': 'repository unreachable' });
    const job = jobContext();
    const failure = runProductionRestore(input(site, job));
    await expect(failure).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('20261126-130010F_20261126-130100I');
    expect(message).toContain('only partly restored: do not start it');
    // Snapshot first, then the stop; the directory was never started half-restored.
    expect(steps.indexOf('safety snapshot')).toBeLessThan(steps.indexOf('stop PostgreSQL'));
    expect(steps).not.toContain('start PostgreSQL for recovery');
    expect(steps).not.toContain('start PostgreSQL');
    expect(steps[steps.length - 1]).toBe('start the agent again');
    // Cancel was refused from the stop on, and allowed again at the end.
    expect(job.held[0]).toMatch(/half-restored/);
    expect(job.held[job.held.length - 1]).toBeNull();
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
