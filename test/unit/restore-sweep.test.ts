import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScratchEnvironment } from '../../shared/contract';
import type { RestoreShell } from '../../electron/services/restore/restore-shell';
import { ScratchEnvironments } from '../../electron/services/restore/scratch-environments';
import { ScratchRepo, type ScratchRecord } from '../../electron/services/restore/scratch-repo';
import { openDatabase, type Db } from '../../electron/services/store/database';

/** A shell that records the scripts it was given and answers like a host would. */
function fakeShell(scripts: string[], reachable = true) {
  return async (): Promise<RestoreShell> => {
    if (!reachable) throw Object.assign(new Error('unreachable'), { code: 'SSH_UNREACHABLE' });
    return {
      ssh: { close: () => undefined },
      run: async (_step: string, script: string) => {
        scripts.push(script);
        const du = /du -sb '([^']+)'/.exec(script);
        return { code: 0, stdout: du ? `4096\t${du[1]}\n` : '', stderr: '' };
      },
    } as unknown as RestoreShell;
  };
}

function record(
  id: string,
  state: ScratchRecord['state'],
  expiresAt: string | null,
): ScratchRecord {
  const env: ScratchEnvironment = {
    id,
    sourceServerId: 's1',
    hostServerId: 's1',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt,
    target: { kind: 'latest' },
    targetTime: null,
    baseBackup: 'L',
    dataDirectory: `/scratch/${id}/data`,
    filesDirectory: null,
    port: 55400,
    host: '127.0.0.1',
    sizeBytes: null,
    state: state === 'creating' ? 'running' : state,
    checks: [],
  };
  return {
    env,
    state,
    host: {
      osUser: 'postgres',
      binDirectory: '/usr/lib/postgresql/15/bin',
      root: `/scratch/${id}`,
    },
  };
}

describe('scratch environments', () => {
  let dir: string;
  let db: Db;
  let repo: ScratchRepo;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-sweep-'));
    db = openDatabase(dir);
    db.prepare(
      "INSERT INTO servers (id, name, host, port, user, auth_kind, status, created_at) VALUES ('s1', 'db1', 'h', 22, 'root', 'privateKey', 'new', '2026-01-01T00:00:00Z')",
    ).run();
    repo = new ScratchRepo(db);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('removes expired and half-made environments at start, keeps the rest', async () => {
    repo.save(record('expired', 'running', '2020-01-01T00:00:00.000Z'));
    repo.save(record('kept', 'running', null));
    repo.save(record('later', 'failed', '2999-01-01T00:00:00.000Z'));
    repo.save(record('crashed', 'creating', null));
    const scripts: string[] = [];
    const envs = new ScratchEnvironments({
      repo,
      openShell: fakeShell(scripts),
      sweepIntervalMs: 0,
    });
    await new Promise((r) => setImmediate(r));
    await envs.close();
    expect(repo.get('expired')?.state).toBe('removed');
    expect(repo.get('crashed')?.state).toBe('removed');
    expect(repo.get('kept')?.state).toBe('running');
    expect(repo.get('later')?.state).toBe('failed');
    expect(scripts.filter((s) => s.includes('rm -rf')).join('\n')).toContain("'/scratch/expired'");
    expect(scripts.some((s) => s.includes('pg_ctl') && s.includes('stop'))).toBe(true);
  });

  it('leaves environments of running restores alone and refuses to drop them', async () => {
    repo.save(record('busy', 'creating', null));
    const scripts: string[] = [];
    const envs = new ScratchEnvironments({
      repo,
      openShell: fakeShell(scripts),
      sweepIntervalMs: 0,
    });
    envs.markActive('busy');
    await new Promise((r) => setImmediate(r));
    await expect(envs.drop('busy')).rejects.toMatchObject({ code: 'CONFLICT' });
    await envs.close();
    expect(repo.get('busy')?.state).toBe('creating');
    await expect(envs.drop('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists with fresh sizes, and with the last ones when the host is unreachable', async () => {
    repo.save(record('a', 'running', null));
    const reachable = new ScratchEnvironments({
      repo,
      openShell: fakeShell([]),
      sweepIntervalMs: 0,
    });
    expect((await reachable.list())[0]?.sizeBytes).toBe(4096);
    await reachable.close();
    const offline = new ScratchEnvironments({
      repo,
      openShell: fakeShell([], false),
      sweepIntervalMs: 0,
    });
    expect((await offline.list())[0]?.sizeBytes).toBe(4096);
    // An expired environment on an unreachable host stays listed until a sweep reaches it.
    repo.save(record('old', 'running', '2020-01-01T00:00:00.000Z'));
    await offline.close();
    const again = new ScratchEnvironments({
      repo,
      openShell: fakeShell([], false),
      sweepIntervalMs: 0,
    });
    await new Promise((r) => setImmediate(r));
    await again.close();
    expect(repo.get('old')?.state).toBe('running');
  });
});
