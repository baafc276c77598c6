import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../electron/jobs/runner';
import type { AgentShell } from '../../electron/services/agent-run/remote-agent';
import { AppError } from '../../electron/services/app-error';
import { runPointJob } from '../../electron/services/point/point-job';
import type { Catalog } from '../../shared/contract';

// A recovery point asked for from the app goes on on the server when the app shuts down (the
// CLI without --wait, a closed console): the agent is left running, not sent SIGTERM; an
// admin's cancel still stops it. The run scripts run for real through `sh -s` on this machine
// against a fake agent that waits for a file before it prints its result.

let dir: string;
let bundle: string;

const FAKE_AGENT = `
const fs = require('node:fs');
const config = JSON.parse(fs.readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8'));
const progress = (p) => process.stderr.write('@point ' + JSON.stringify(p) + '\\n');
process.on('SIGTERM', () => { fs.writeFileSync(config.terminated, 'yes'); process.exit(143); });
progress({ phase: 'backup', message: 'pgbackrest backup --type=incr', done: 0, total: 3 });
const wait = setInterval(() => {
  if (!fs.existsSync(config.go)) return;
  clearInterval(wait);
  progress({ phase: 'manifest', message: 'sign', done: 2, total: 3 });
  fs.writeFileSync(config.finished, 'yes');
  process.stdout.write(JSON.stringify({ label: '20261206-064500F_20261206-071000I',
    at: '2026-12-06T07:10:30.000Z', type: 'incr', tier: 'daily', resticSnapshotId: null,
    manifestKey: 'k', sha256: 'a'.repeat(64), tables: 1, seconds: 1, note: null }) + '\\n');
  process.exit(0);
}, 50);
`;

const localShell: AgentShell = {
  run: (step, script, options = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const onAbort = () => {
        child.kill('SIGTERM');
        reject(new AppError('CANCELLED', 'Cancelled.'));
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('close', (code) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (code !== 0 && !options.allowFailure) reject(new Error(`${step}: ${stderr}`));
        else resolve({ code, stdout, stderr });
      });
      child.stdin.end(`set -e\n${script}\n`);
    }),
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-point-'));
  bundle = path.join(dir, 'agent.cjs');
  fs.writeFileSync(bundle, FAKE_AGENT);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(name: string, abortWith: AppError) {
  const files = {
    go: path.join(dir, `${name}.go`),
    terminated: path.join(dir, `${name}.terminated`),
    finished: path.join(dir, `${name}.finished`),
  };
  const config = path.join(dir, `${name}.json`);
  fs.writeFileSync(config, JSON.stringify(files));
  const controller = new AbortController();
  const stateDir = path.join(dir, `${name}-state`);
  const job: JobContext = {
    signal: controller.signal,
    jobId: name,
    progress: (phase) => {
      // Once the agent has started (holds its lock), the app goes away.
      if (phase === 'backup' && !controller.signal.aborted) controller.abort(abortWith);
    },
  };
  const ended = runPointJob({
    job,
    serverId: '00000000-0000-4000-8000-000000000001',
    serverName: 'db1',
    agent: { node: process.execPath, bundle, config, stateDir },
    note: undefined,
    openShell: async () => ({ shell: localShell, close: () => undefined }),
    catalog: async () => ({ backups: [] }) as unknown as Catalog,
    pollMs: 20,
  }).then(
    () => null,
    (err: unknown) => err,
  );
  return { files, ended, runs: path.join(stateDir, 'app-runs') };
}

describe('a recovery point when the app goes away', () => {
  it('is left to finish on the server when the app shuts down', async () => {
    const r = run('shutdown', new AppError('SHUTTING_DOWN', 'shutting down'));
    expect(await r.ended).toMatchObject({
      code: 'SHUTTING_DOWN',
      message: 'The recovery point goes on on the server; the app stopped following it.',
    });
    // Still running, not terminated; the app's run folder is gone (nothing left to collect).
    expect(fs.existsSync(r.files.terminated)).toBe(false);
    expect(fs.readdirSync(r.runs)).toEqual([]);
    fs.writeFileSync(r.files.go, 'go');
    await expect.poll(() => fs.existsSync(r.files.finished), { timeout: 5_000 }).toBe(true);
    expect(fs.existsSync(r.files.terminated)).toBe(false);
  });

  it('is stopped (SIGTERM) when the admin cancels it', async () => {
    const r = run('cancel', new AppError('CANCELLED', 'Cancelled by the user.'));
    expect(await r.ended).toMatchObject({ code: 'CANCELLED' });
    expect(fs.existsSync(r.files.terminated)).toBe(true);
    expect(fs.existsSync(r.files.finished)).toBe(false);
  });
});
