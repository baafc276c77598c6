import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScratchEnvironment } from '../../shared/contract';
import { ScratchEnvironments } from '../../electron/services/restore/scratch-environments';
import { ScratchRepo, type ScratchRecord } from '../../electron/services/restore/scratch-repo';
import { openDatabase, type Db } from '../../electron/services/store/database';

/** Ids are UUIDs: the agent names folders after them. */
const uuid = (name: string): string =>
  `${Buffer.from(name.padEnd(8, '0').slice(0, 8)).toString('hex').slice(0, 8)}-0000-4000-8000-000000000000`;

/**
 * A host that records the scripts it was given and answers like its agent would: `scratch-list`
 * with 4096 bytes for every environment it is asked about.
 */
function fakeShell(scripts: string[], reachable = true, ids: string[] = []) {
  return async () => {
    if (!reachable) throw Object.assign(new Error('unreachable'), { code: 'SSH_UNREACHABLE' });
    return {
      close: () => undefined,
      shell: {
        run: async (_step: string, script: string) => {
          scripts.push(script);
          const listed = script.includes("'scratch-list'")
            ? JSON.stringify(ids.map((id) => ({ id, sizeBytes: 4096, running: true })))
            : '';
          return { code: 0, stdout: listed, stderr: '' };
        },
      },
    };
  };
}

function record(
  name: string,
  state: ScratchRecord['state'],
  expiresAt: string | null,
): ScratchRecord {
  const id = uuid(name);
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
      root: `/scratch/${id}`,
      agent: { node: '/usr/bin/node', bundle: '/opt/a.cjs', config: '/etc/a.json', stateDir: '/s' },
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
    expect(repo.get(uuid('expired'))?.state).toBe('removed');
    expect(repo.get(uuid('crashed'))?.state).toBe('removed');
    expect(repo.get(uuid('kept'))?.state).toBe('running');
    expect(repo.get(uuid('later'))?.state).toBe('failed');
    // The agent that made them drops them: its scratch-drop, by id, with its own config.
    const drops = scripts.filter((s) => s.includes("'scratch-drop'"));
    expect(drops).toHaveLength(2);
    expect(drops.join('\n')).toContain(`'--id' '${uuid('expired')}' '--config' '/etc/a.json'`);
    expect(drops.join('\n')).toContain(`'--id' '${uuid('crashed')}'`);
  });

  it('leaves environments of running restores alone and refuses to drop them', async () => {
    repo.save(record('busy', 'creating', null));
    const scripts: string[] = [];
    const envs = new ScratchEnvironments({
      repo,
      openShell: fakeShell(scripts),
      sweepIntervalMs: 0,
    });
    envs.markActive(uuid('busy'));
    await new Promise((r) => setImmediate(r));
    await expect(envs.drop(uuid('busy'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await envs.close();
    expect(repo.get(uuid('busy'))?.state).toBe('creating');
    await expect(envs.drop(uuid('nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists with fresh sizes, and with the last ones when the host is unreachable', async () => {
    repo.save(record('a', 'running', null));
    const reachable = new ScratchEnvironments({
      repo,
      openShell: fakeShell([], true, [uuid('a')]),
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
    expect(repo.get(uuid('old'))?.state).toBe('running');
  });
});
