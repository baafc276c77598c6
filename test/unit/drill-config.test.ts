import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentConfig } from '../../shared/agent/config';
import {
  restartScript,
  withDrillSettings,
  type RemoteAgentConfig,
} from '../../electron/services/drill/agent-config';
import { pidsWithArgument } from '../harness/proc-table';

// Editing the agent config's drill section, and the scheduler restart script run for real
// with `sh` against a state folder of lock files held by stand-in processes.

const RAW = {
  version: 1,
  serverId: 'srv-1',
  stanza: 'main',
  stateDir: '/var/lib/kumiko-agent',
  pg: {
    version: '15',
    dataDirectory: '/var/lib/postgresql/15/main',
    port: 5432,
    socketDirectory: '/run/postgresql',
    binDirectory: '/usr/lib/postgresql/15/bin',
  },
  pgbackrest: { configPath: '/etc/kumiko-agent/pgbackrest.conf' },
  s3: {
    endpoint: 'https://s3.example.eu',
    bucket: 'b',
    region: 'eu-central-1',
    accessKeyId: 'AKIA-SECRET-ID',
    secretAccessKey: 'very-secret-key',
    prefix: 'kumiko/srv-1/',
  },
  restic: { repository: 's3:https://x/b', passwordFile: '/etc/p', paths: [] },
  signingKeyFile: '/etc/kumiko-agent/agent-signing.key',
  schedule: {},
  retention: {},
  alerts: {},
  drill: { scratchRoot: '/var/lib/kumiko-agent/drills', port: 55999 },
  futureSection: { keptAsIs: true },
};

function current(): RemoteAgentConfig {
  const parsed = AgentConfig.safeParse(RAW);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return { raw: structuredClone(RAW), config: parsed.data };
}

describe('drill settings in the agent config', () => {
  it('rewrites only the drill section, keeping its other settings and unknown sections', () => {
    const check = {
      name: 'Invoices',
      database: 'erp',
      sql: 'select count(*) from invoice',
      expect: 'atLeast' as const,
      value: '1',
    };
    const { text, drill } = withDrillSettings(current(), {
      intervalSeconds: 20,
      smokeChecks: [check],
    });
    const written = JSON.parse(text) as typeof RAW & { drill: Record<string, unknown> };
    expect(drill).toMatchObject({ intervalSeconds: 20, port: 55999, smokeChecks: [check] });
    expect(written.drill).toMatchObject({
      scratchRoot: '/var/lib/kumiko-agent/drills',
      port: 55999,
    });
    expect(written.futureSection).toEqual({ keptAsIs: true });
    expect(written).not.toHaveProperty('serverName');
    const named = withDrillSettings(
      current(),
      { intervalSeconds: 20, smokeChecks: [] },
      ' ERP DB ',
    );
    expect(JSON.parse(named.text)).toMatchObject({ serverName: 'ERP DB', serverId: RAW.serverId });
    expect(written.s3).toEqual(RAW.s3);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('sets the pg_amcheck mode when given and keeps the config’s when left out', () => {
    expect(
      withDrillSettings(current(), { intervalSeconds: 20, smokeChecks: [] }).drill,
    ).toMatchObject({ amcheckHeapAllIndexed: false });
    const deep = withDrillSettings(current(), {
      intervalSeconds: 20,
      smokeChecks: [],
      amcheckHeapAllIndexed: true,
    });
    expect(JSON.parse(deep.text).drill.amcheckHeapAllIndexed).toBe(true);
    const parsed = AgentConfig.parse(JSON.parse(deep.text));
    const kept = withDrillSettings(
      { raw: JSON.parse(deep.text), config: parsed },
      { intervalSeconds: 60, smokeChecks: [], amcheckHeapAllIndexed: undefined },
    );
    expect(kept.drill).toMatchObject({ intervalSeconds: 60, amcheckHeapAllIndexed: true });
  });

  it('refuses invalid settings without quoting the config (it holds the S3 keys)', () => {
    let error: unknown;
    try {
      withDrillSettings(current(), {
        intervalSeconds: -1,
        smokeChecks: [],
      });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(JSON.stringify(error)).not.toContain('very-secret-key');
    expect(String((error as Error).message)).not.toContain('AKIA');
  });
});

describe('scheduler restart script', () => {
  let state: string;
  const children: ChildProcess[] = [];
  const standIn = () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const lock = (name: string, pid: number) =>
    fs.writeFileSync(path.join(state, 'locks', name), `${pid}\n`);
  const run = () =>
    spawnSync('sh', ['-s'], {
      input: `set -e\n${restartScript(state, 'daemon')}\n`,
      encoding: 'utf8',
    });
  const exited = (child: ChildProcess) =>
    new Promise<NodeJS.Signals | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
      else child.once('exit', (_code, signal) => resolve(signal));
    });

  beforeAll(() => {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-drill-restart-'));
    fs.mkdirSync(path.join(state, 'locks'));
  });

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    // The deferred watcher is detached: stop it by its argument, this test's state folder.
    for (const pid of pidsWithArgument(state)) process.kill(pid, 'SIGKILL');
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('says not-running when no daemon holds its lock', () => {
    const out = run();
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe('not-running');
  });

  it('restarts an idle daemon with SIGTERM (its supervisor starts it again)', async () => {
    const daemon = standIn();
    lock('daemon.lock', daemon.pid as number);
    lock('heartbeat.lock', daemon.pid as number); // a heartbeat may be cut short
    const out = run();
    expect(out.stdout.trim()).toBe('restarted');
    expect(await exited(daemon)).toBe('SIGTERM');
  });

  it('defers while a backup or drill holds the repository lock, leaving the daemon running', () => {
    const daemon = standIn();
    const backup = standIn();
    lock('daemon.lock', daemon.pid as number);
    lock('repository.lock', backup.pid as number);
    const out = run();
    expect(out.stdout.trim()).toBe('deferred');
    expect(daemon.exitCode).toBeNull();
    expect(daemon.signalCode).toBeNull();
    expect(pidsWithArgument(state).length).toBeGreaterThan(0); // the watcher waits
  });
});
