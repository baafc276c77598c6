import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillProgress } from '../../shared/agent/drill';
import { AppError } from '../../electron/services/app-error';
import type { DrillReportEntry, DrillSyncResult } from '../../shared/contract';
import type { JobContext } from '../../electron/jobs/runner';
import { failureText, runDrillJob } from '../../electron/services/drill/drill-job';
import { runRemoteDrill, type DrillShell } from '../../electron/services/drill/remote-drill';
import { parsePoll, STDOUT_MARKER } from '../../electron/services/agent-run/remote-scripts';

// The remote drill scripts run for real here, through `sh -s` on this machine instead of over
// SSH, against a fake agent: progress lines, the summary, exit codes, and a cancel that must
// reach the agent as SIGTERM and wait for its cleanup.

let dir: string;
let bundle: string;

const FAKE_AGENT = `
const fs = require('node:fs');
const config = JSON.parse(fs.readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8'));
const progress = (p) => process.stderr.write('@progress ' + JSON.stringify(p) + '\\n');
const summary = (passed) => ({
  drillId: 'drill-20261127T031500Z', passed, failedChecks: passed ? [] : ['amcheck'],
  rtoSeconds: passed ? 12.5 : null, rpoSeconds: 30,
  bundlePrefix: 'kumiko/s/drills/drill-20261127T031500Z/', manifestSha256: 'a'.repeat(64),
});
process.stderr.write('a log line without progress\\n');
progress({ phase: 'prepare', message: 'preparing' });
progress({ phase: 'restore', message: 'restoring', done: 5, total: 10 });
if (config.mode === 'slow') {
  process.on('SIGTERM', () => {
    progress({ phase: 'cleanup', message: 'cleaning up after SIGTERM' });
    setTimeout(() => { fs.writeFileSync(config.marker, 'cleaned'); process.exit(143); }, 300);
  });
  setInterval(() => {}, 1000);
} else if (config.mode === 'crash') {
  process.stderr.write('kumiko-agent drill: restore: no backup to restore\\n');
  process.exit(1);
} else {
  progress({ phase: 'report', message: 'signing' });
  process.stdout.write(JSON.stringify(summary(config.mode === 'pass'), null, 2) + '\\n');
  process.exit(config.mode === 'pass' ? 0 : 5);
}
`;

/** RemoteShell.run, locally: the script on stdin of `sh -s` with `set -e`. */
const localShell: DrillShell = {
  run: (_step, script, options = {}) =>
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
        if (code !== 0 && !options.allowFailure) reject(new Error(`${_step}: ${stderr}`));
        else resolve({ code, stdout, stderr });
      });
      child.stdin.end(`set -e\n${script}\n`);
    }),
};

function agentWith(mode: string) {
  const config = path.join(dir, `config-${mode}.json`);
  const marker = path.join(dir, `cleaned-${mode}`);
  fs.writeFileSync(config, JSON.stringify({ mode, marker }));
  return {
    marker,
    agent: { node: process.execPath, bundle, config, stateDir: path.join(dir, 'state') },
  };
}

const runs = () =>
  fs.existsSync(path.join(dir, 'state/app-runs'))
    ? fs.readdirSync(path.join(dir, 'state/app-runs'))
    : [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-drill-remote-'));
  bundle = path.join(dir, 'fake-agent.cjs');
  fs.writeFileSync(bundle, FAKE_AGENT);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('remote drill scripts', () => {
  it('relays progress lines, keeps log lines and returns the summary of a passed drill', async () => {
    const seen: DrillProgress[] = [];
    const { agent } = agentWith('pass');
    const out = await runRemoteDrill({
      shell: localShell,
      agent,
      signal: new AbortController().signal,
      onProgress: (p) => seen.push(p),
      pollMs: 50,
    });
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout).drillId).toBe('drill-20261127T031500Z');
    expect(seen.map((p) => p.phase)).toEqual(['prepare', 'restore', 'report']);
    expect(seen[1]).toMatchObject({ done: 5, total: 10 });
    expect(out.log).toEqual(['a log line without progress']);
    expect(runs()).toEqual([]); // the run folder is gone
  });

  it('returns exit 5 with the summary when a check failed, and the reason when it crashed', async () => {
    const failed = await runRemoteDrill({
      shell: localShell,
      agent: agentWith('checks').agent,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      pollMs: 50,
    });
    expect(failed.exitCode).toBe(5);
    expect(JSON.parse(failed.stdout).passed).toBe(false);
    const crashed = await runRemoteDrill({
      shell: localShell,
      agent: agentWith('crash').agent,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      pollMs: 50,
    });
    expect(crashed.exitCode).toBe(1);
    expect(crashed.log.at(-1)).toContain('no backup to restore');
  });

  it('cancels with SIGTERM and waits for the agent to clean up before it throws CANCELLED', async () => {
    const { agent, marker } = agentWith('slow');
    const controller = new AbortController();
    const phases: string[] = [];
    const run = runRemoteDrill({
      shell: localShell,
      agent,
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'restore') controller.abort();
      },
      pollMs: 50,
      stopWaitSeconds: 10,
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fs.readFileSync(marker, 'utf8')).toBe('cleaned');
    expect(runs()).toEqual([]);
  });
});

describe('poll answers', () => {
  it('leaves a partial last line for the next poll unless the drill has exited', () => {
    expect(parsePoll('running\none\ntwo\npart')).toEqual({
      status: { kind: 'running' },
      lines: ['one', 'two'],
      consumed: 8,
      stdout: null,
    });
    expect(parsePoll('exit=5\nlast words')).toEqual({
      status: { kind: 'exit', code: 5 },
      lines: ['last words'],
      consumed: 10,
      stdout: null,
    });
    // A finished command's poll carries its stdout after the marker (and no partial line).
    expect(parsePoll(`exit=0\nlast words\n\n${STDOUT_MARKER}\n{"ok":true}\n`)).toEqual({
      status: { kind: 'exit', code: 0 },
      lines: ['last words'],
      consumed: 11,
      stdout: '{"ok":true}\n',
    });
    expect(parsePoll('gone\n').status.kind).toBe('gone');
    expect(parsePoll('running\nä\n').consumed).toBe(3);
  });
});

describe('drill job', () => {
  const DRILL = 'drill-20261127T031500Z';
  const entry = { drillId: DRILL, passed: true } as DrillReportEntry;
  const noSync: DrillSyncResult = {
    imported: 1,
    importedDrillIds: [DRILL],
    refused: [],
    pending: [],
  };

  function job() {
    const phases: string[] = [];
    const ctx: JobContext = {
      signal: new AbortController().signal,
      jobId: 'job-1',
      progress: (phase) => {
        if (phases.at(-1) !== phase) phases.push(phase);
      },
    };
    return { ctx, phases };
  }

  function input(mode: string, over: Partial<Parameters<typeof runDrillJob>[0]> = {}) {
    const { ctx, phases } = job();
    let closed = 0;
    return {
      phases,
      closed: () => closed,
      input: {
        job: ctx,
        agent: agentWith(mode).agent,
        openShell: async () => ({ shell: localShell, close: () => (closed += 1) }),
        sync: async () => noSync,
        archived: () => entry,
        checkFindings: async () =>
          new Map([['amcheck', 'pg_amcheck found 2 corrupt pages in public.invoices.']]),
        pollMs: 50,
        ...over,
      },
    };
  }

  it('runs the agent, archives the report and returns its entry', async () => {
    const run = input('pass');
    await expect(runDrillJob(run.input)).resolves.toBe(entry);
    expect(run.phases).toEqual(['prepare', 'restore', 'report', 'archive']);
    expect(run.closed()).toBe(1);
  });

  it('names a failed check by what it found, not by its title', () => {
    const findings = new Map([
      ['manifest-match', '3 of 40 tables differ from manifest daily-1: public.a (row count)'],
    ]);
    expect(failureText(['manifest-match', 'amcheck'], findings)).toBe(
      '3 of 40 tables differ from manifest daily-1: public.a (row count); check amcheck failed',
    );
    expect(failureText([], new Map())).toBe('a check failed without saying which');
  });

  it('fails a drill whose checks failed, naming them, after archiving its report', async () => {
    let synced = false;
    const run = input('checks', {
      sync: async () => {
        synced = true;
        return noSync;
      },
    });
    await expect(runDrillJob(run.input)).rejects.toMatchObject({
      code: 'DRILL_FAILED',
      message: expect.stringContaining(
        'The drill failed: pg_amcheck found 2 corrupt pages in public.invoices. Its report',
      ),
      details: { drillId: DRILL, failedChecks: ['amcheck'] },
    });
    expect(synced).toBe(true);
  });

  it('refuses a report that did not verify and reports why a drill could not run', async () => {
    const refused = input('pass', {
      archived: () => null,
      sync: async () => ({
        ...noSync,
        imported: 0,
        refused: [
          { drillId: DRILL, code: 'REPORT_UNVERIFIED', message: 'bad signature', problems: [] },
        ],
      }),
    });
    await expect(runDrillJob(refused.input)).rejects.toMatchObject({
      code: 'REPORT_UNVERIFIED',
      message: expect.stringContaining('bad signature'),
    });
    const crashed = input('crash');
    await expect(runDrillJob(crashed.input)).rejects.toMatchObject({
      code: 'DRILL_FAILED',
      message: expect.stringContaining('no backup to restore'),
    });
  });
});
