import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { Heartbeat } from '../../shared/agent/heartbeat';
import { AGENT_BUNDLE, buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { isAlive, pidsWithArgument, stopAll } from '../harness';

// The agent on a server without systemd or cron: `supervise` is started the way the installer
// starts it (its own session, no terminal), and from then on heartbeats, recovery points and
// drill reports appear in the bucket with no app involved. The daemon is killed with SIGKILL
// and comes back; `stop` ends everything.

let env: AgentEnv;
let supervisorPid: number | undefined;

beforeAll(async () => {
  await Promise.all([
    buildAgentBundle(),
    startAgentEnv({
      attachedFiles: false,
      config: (c) => ({
        ...c,
        schedule: {
          snapshotAt: '02:30',
          snapshotIntervalSeconds: 30,
          heartbeatIntervalSeconds: 5,
          retentionIntervalSeconds: 86_400,
        },
        drill: { ...c.drill, intervalSeconds: 20 },
      }),
    }).then((e) => (env = e)),
  ]);
  // drill.scratchRoot is inside the env's 0700 temp dir: the cluster's OS user must reach it.
  fs.chmodSync(env.dir, 0o711);
});

afterAll(async () => {
  // Never leave the supervisor or its daemon behind, whatever happened above.
  const daemon = schedulerPid();
  for (const pid of [supervisorPid, daemon]) {
    if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  // A scratch cluster of a drill the kill interrupted: the next drill would sweep it.
  for (const pid of env ? pidsWithArgument(env.config.drill.scratchRoot) : []) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await env?.stop();
  await stopAll();
});

const stateFile = (name: string): string => path.join(env.config.stateDir, name);

function schedulerPid(): number | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile('scheduler.json'), 'utf8')).pid as number;
  } catch {
    return undefined;
  }
}

function bucketHeartbeat(): Heartbeat | undefined {
  const key = bucketLayout.heartbeat(env.serverId);
  if (env.keys(key).length === 0) return undefined;
  return Heartbeat.parse(JSON.parse(env.object(key).toString('utf8')));
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const log = fs.existsSync(stateFile('agent.log'))
        ? fs.readFileSync(stateFile('agent.log'), 'utf8')
        : '';
      throw new Error(`timed out waiting for ${what}\n${log.slice(-3_000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('kumiko-agent supervise', () => {
  it('writes heartbeats and recovery points to the bucket on its own', async () => {
    const t0 = Date.now();
    // As the installer does it: setsid … </dev/null >/dev/null 2>&1 &
    const child = spawn(env.node, [AGENT_BUNDLE, 'supervise', '--config', env.configPath], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    supervisorPid = await until(
      'agent.pid',
      () => {
        const text = fs.existsSync(stateFile('agent.pid'))
          ? fs.readFileSync(stateFile('agent.pid'), 'utf8')
          : '';
        return text ? Number(text.trim()) : undefined;
      },
      10_000,
    );
    expect(supervisorPid).toBe(child.pid);

    const heartbeat = await until('a heartbeat in the bucket', bucketHeartbeat, 60_000);
    expect(heartbeat.serverId).toBe(env.serverId);
    expect(heartbeat.scheduler).toMatchObject({ mode: 'daemon', running: true });
    const manifest = await until(
      'a manifest in the bucket',
      () => env.keys(bucketLayout.manifestsPrefix(env.serverId)).find((k) => k.endsWith('.json')),
      60_000,
    );
    console.log(`first heartbeat and manifest after ${Date.now() - t0} ms: ${manifest}`);
  });

  it('refuses a second supervisor', async () => {
    const second = await env.agent(['supervise'], 20_000);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/supervisor is already running \(pid \d+\)/);
  });

  it('restarts the daemon after kill -9, and heartbeats continue', async () => {
    const daemon = await until('the daemon pid', schedulerPid, 10_000);
    expect(daemon).not.toBe(supervisorPid);
    process.kill(daemon, 'SIGKILL');
    const t0 = Date.now();
    const restarted = await until(
      'a new daemon',
      () => {
        const pid = schedulerPid();
        return pid !== undefined && pid !== daemon && isAlive(pid) ? pid : undefined;
      },
      20_000,
    );
    console.log(`daemon ${daemon} killed, ${restarted} up after ${Date.now() - t0} ms`);
    const killedAt = new Date().toISOString();
    const fresh = await until(
      'a heartbeat from the new daemon',
      () => {
        const hb = bucketHeartbeat();
        return hb && hb.at > killedAt ? hb : undefined;
      },
      30_000,
    );
    expect(fresh.scheduler.running).toBe(true);
    expect(fs.readFileSync(stateFile('agent.log'), 'utf8')).toMatch(
      new RegExp(`daemon \\(pid ${daemon}\\) exited with SIGKILL; restarting in 1 s`),
    );
  });

  it('takes the next recovery point one interval (30 s) after the previous one', async () => {
    const manifests = (): string[] =>
      env.keys(bucketLayout.manifestsPrefix(env.serverId)).filter((k) => k.endsWith('.json'));
    const second = await until(
      'a second manifest',
      () => (manifests().length >= 2 ? manifests() : undefined),
      45_000,
    );
    expect(second[1]).toMatch(/F_\d{8}-\d{6}I\.json$/);
    const state = JSON.parse(fs.readFileSync(stateFile('state.json'), 'utf8'));
    expect(state.lastRecoveryPointAttempt).toMatchObject({ ok: true, error: null });
  });

  it('runs a scheduled drill on its own and shows it in state and heartbeat', async () => {
    const t0 = Date.now();
    const prefix = bucketLayout.drillsPrefix(env.serverId);
    // The signature goes up last: with it the bundle is complete.
    const signature = await until(
      'a drill report in the bucket',
      () => env.keys(prefix).find((k) => k.endsWith('/MANIFEST.sha256.sig')),
      75_000,
    );
    const drillId = signature.slice(prefix.length).split('/')[0] as string;
    console.log(`scheduled drill ${drillId} reported after ${Date.now() - t0} ms`);
    const report = JSON.parse(env.object(`${prefix}${drillId}/report.json`).toString('utf8'));
    expect(report.drill.passed).toBe(true);
    expect(report.drill.signer).toBe('agent');
    // This server has no attached files: said so, not silently skipped.
    const files = report.drill.checks.find((c: { id: string }) => c.id === 'files-hash');
    expect(files).toMatchObject({ passed: true, detail: 'no attached files configured' });

    const state = await until(
      'the drill in state.json',
      () => {
        const s = JSON.parse(fs.readFileSync(stateFile('state.json'), 'utf8'));
        return s.lastDrill?.drillId === drillId ? s : undefined;
      },
      10_000,
    );
    expect(state.lastDrill).toMatchObject({ passed: true, sequence: 1 });
    // Due one interval after the first daemon started, although that daemon was killed since.
    const due = Date.parse(state.drillScheduleSince) + 20_000;
    expect(Date.parse(state.lastDrill.startedAt)).toBeGreaterThanOrEqual(due);
    expect(Date.parse(state.lastDrill.startedAt)).toBeLessThan(due + 15_000);
    const scheduler = await until(
      'the next drill in scheduler.json',
      () => {
        const next = JSON.parse(fs.readFileSync(stateFile('scheduler.json'), 'utf8')).nextDrillAt;
        return typeof next === 'string' && next > state.lastDrill.startedAt ? next : undefined;
      },
      10_000,
    );
    expect(Date.parse(scheduler) - Date.parse(state.lastDrill.startedAt)).toBe(20_000);
    const heartbeat = await until(
      'the drill in the bucket heartbeat',
      () => {
        const hb = bucketHeartbeat();
        return hb?.lastDrill?.drillId === drillId ? hb : undefined;
      },
      15_000,
    );
    expect(heartbeat.lastDrill).toMatchObject({ passed: true });
    expect(heartbeat.scheduler.nextDrillAt).toBeTruthy();
    expect(fs.readdirSync(env.config.drill.scratchRoot)).toEqual([]);
  });

  it('stop ends the supervisor and the daemon', async () => {
    const daemon = schedulerPid() as number;
    const t0 = Date.now();
    const stop = await env.agent(['stop'], 150_000);
    console.log(`stop took ${Date.now() - t0} ms`);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`stopped the supervisor (pid ${supervisorPid})`);
    expect(isAlive(supervisorPid as number)).toBe(false);
    expect(isAlive(daemon)).toBe(false);
    expect(fs.existsSync(stateFile('agent.pid'))).toBe(false);
    const again = await env.agent(['stop']);
    expect(again.stdout.trim()).toBe('not running');
  });
});
