import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { AccountabilityRepo } from '../../electron/services/accountability/accountability-repo';
import { entryHash } from '../../electron/services/accountability/chain';
import { openVault } from '../../electron/services/secrets/vault';
import { openDatabase, type Db } from '../../electron/services/store/database';
import type {
  AccountabilityExportResult,
  AccountabilityList,
  AccountabilityVerdict,
  Server,
} from '../../shared/contract';

const WHO = { osUser: 'admin', actorName: 'Anna Admin' };

describe('accountability log: the hash chain in SQLite', () => {
  let dir: string;
  let db: Db;
  let repo: AccountabilityRepo;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-actlog-'));
    db = openDatabase(dir);
    repo = new AccountabilityRepo(db);
    for (const action of ['server.add', 'hostKey.trust', 'restore.scratch', 'gdpr.erase']) {
      repo.append({ action, serverId: null, target: { database: 'shop' }, result: 'ok' }, WHO);
    }
  });
  afterEach(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** An attacker with the file: drops the triggers and edits with SQLite itself. */
  function tamper(sql: string, ...args: unknown[]): void {
    db.close();
    const raw = new Database(path.join(dir, 'kumiko.db'));
    raw.exec(
      'DROP TRIGGER accountability_log_no_update; DROP TRIGGER accountability_log_no_delete;',
    );
    raw.prepare(sql).run(...args);
    raw.close();
    db = openDatabase(dir);
    repo = new AccountabilityRepo(db);
  }

  it('links each entry to the one before and verifies intact', () => {
    const verdict = repo.verify();
    expect(verdict).toMatchObject({ intact: true, entries: 4, firstBroken: null });
    const { entries } = repo.list({});
    expect(entries.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(entries[0]?.prevHash).toBe(entries[1]?.hash);
    expect(verdict.lastHash).toBe(entries[0]?.hash);
  });

  it('refuses UPDATE and DELETE through the triggers', () => {
    expect(() =>
      db.prepare("UPDATE accountability_log SET actor_name = 'x' WHERE seq = 2").run(),
    ).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM accountability_log WHERE seq = 4').run()).toThrow(
      /append-only/,
    );
    expect(repo.verify().intact).toBe(true);
  });

  it('names an entry whose content was changed in the file', () => {
    tamper("UPDATE accountability_log SET actor_name = 'Somebody Else' WHERE seq = 2");
    expect(repo.verify()).toMatchObject({ intact: false, firstBroken: { seq: 2, reason: 'hash' } });
  });

  it('names the next entry when a changed one was given its correct new hash', () => {
    // The attacker recomputes the edited entry's hash; the entry after it still names the old one.
    const edited = {
      ...repo.list({}).entries.find((e) => e.seq === 2)!,
      result: 'failed' as const,
    };
    const { hash: _old, ...unhashed } = edited;
    tamper(
      "UPDATE accountability_log SET result = 'failed', hash = ? WHERE seq = 2",
      entryHash(unhashed),
    );
    expect(repo.verify()).toMatchObject({ intact: false, firstBroken: { seq: 3, reason: 'link' } });
  });

  it('names the gap a deleted entry leaves', () => {
    tamper('DELETE FROM accountability_log WHERE seq = 3');
    expect(repo.verify()).toMatchObject({ intact: false, firstBroken: { seq: 4, reason: 'gap' } });
  });

  it('filters by action, who, result and day', () => {
    repo.append(
      { action: 'gdpr.export', result: 'failed', errorCode: 'CONFLICT' },
      { osUser: 'bob', actorName: 'bob' },
    );
    expect(repo.list({ action: 'gdpr.erase' }).total).toBe(1);
    expect(repo.list({ who: 'ANNA' }).total).toBe(4);
    expect(repo.list({ result: 'failed' }).entries[0]).toMatchObject({
      osUser: 'bob',
      errorCode: 'CONFLICT',
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(repo.list({ from: today, to: today }).total).toBe(5);
    expect(repo.list({ to: '2000-01-01' }).total).toBe(0);
  });
});

describe('accountability log: commands record themselves', () => {
  let dir: string;
  let core: AppCore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-actlog-core-'));
    const secrets = await openVault(path.join(dir, 'secrets.vault'), 'actlog-unit-passphrase');
    core = await createAppCore({ dataDir: dir, secrets, transport: 'cli' });
  });
  afterEach(async () => {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = await core.dispatch(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code}`);
    return result.value as T;
  }

  it('records who, what and the result, keeps subjects and secrets out, and exports signed', async () => {
    await call('settings.actor.set', { actorName: 'Dana DPO' });
    const server = await call<Server>('servers.add', {
      name: 'shop',
      host: '127.0.0.1',
      port: 1,
      user: 'kumiko',
      auth: { kind: 'generate' },
    });
    const trusted = await core.dispatch('servers.trustHostKey', {
      id: server.id,
      fingerprint: 'SHA256:abc',
    });
    expect(trusted.ok).toBe(false);
    // The GDPR export fails (no agent), but it was asked for: recorded, subject as a keyed hash.
    const exported = await core.dispatch('gdpr.export', {
      serverId: server.id,
      database: 'shop',
      subject: 'customer-4711@example.org',
    });
    expect(exported.ok).toBe(false);
    await call('servers.list', {});

    const { entries } = await call<AccountabilityList>('accountability.list', {});
    expect(entries.map((e) => [e.action, e.result])).toEqual([
      ['gdpr.export', 'failed'],
      ['hostKey.trust', 'failed'],
      ['server.add', 'ok'],
      ['settings.actor', 'ok'],
    ]);
    expect(entries.every((e) => e.actorName === 'Dana DPO' && e.osUser.length > 0)).toBe(true);
    expect(entries[0]?.errorCode).toMatch(/^[A-Z_]+$/);
    expect(entries[0]?.target.subject).toMatch(/^hmac:[0-9a-f]{24}$/);
    // The store's file and its write-ahead log: the subject's value is in neither.
    const text = fs
      .readdirSync(dir)
      .filter((name) => name.startsWith('kumiko.db'))
      .map((name) => fs.readFileSync(path.join(dir, name)).toString('latin1'))
      .join('');
    expect(text).toContain('gdpr.export');
    expect(text).not.toContain('customer-4711');
    expect(JSON.stringify(entries)).not.toContain('PRIVATE KEY');

    const verdict = await call<AccountabilityVerdict>('accountability.verify', {});
    expect(verdict).toMatchObject({ intact: true, entries: 4 });

    const result = await call<AccountabilityExportResult>('accountability.export', {
      outputDirectory: path.join(dir, 'out'),
    });
    expect(result.entries).toBe(4);
    const csv = fs.readFileSync(path.join(result.directory, 'activity-log.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^seq,at,osUser,actorName,action/);
    expect(csv).toContain('gdpr.export');
    execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: result.directory });
    const signers = path.join(dir, 'allowed_signers');
    fs.writeFileSync(
      signers,
      `${result.principal} ${result.publicKey.split(' ').slice(0, 2).join(' ')}\n`,
    );
    const verified = execFileSync(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        signers,
        '-I',
        result.principal,
        '-n',
        'kumiko-report',
        '-s',
        'MANIFEST.sha256.sig',
      ],
      {
        cwd: result.directory,
        input: fs.readFileSync(path.join(result.directory, 'MANIFEST.sha256')),
      },
    ).toString();
    expect(verified).toContain('Good');
    // The export itself is an action: the next entry.
    const after = await call<AccountabilityList>('accountability.list', { action: 'log.export' });
    expect(after.entries[0]).toMatchObject({ result: 'ok', params: { entries: 4 } });
  });
});
