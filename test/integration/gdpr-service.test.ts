import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { appPublicKey } from '../../electron/services/reports/app-signing-key';
import { openVault } from '../../electron/services/secrets/vault';
import type { SecretStore } from '../../electron/services/secrets/secret-store';
import { openLedgerObject } from '../../node/gdpr/ledger-object';
import type {
  GdprEraseResult,
  GdprExportEstimate,
  GdprExportResult,
  GdprMapResult,
  GdprRequest,
  GdprRequestEraseResult,
  GdprRequestsList,
  Job,
  TransferFile,
  Result,
} from '../../shared/contract';
import {
  runCommand,
  startPostgres,
  startS3,
  startSshd,
  type PostgresCluster,
  type S3Server,
  type SshdServer,
} from '../harness';
import { addServerWithInstallRecord } from '../harness/recorded-server';
import { SHOP_SQL, SHOP_SUBJECT, SHOP_TRUTH } from './gdpr-fixtures';

// The GDPR commands through the contract, as the CLI and the console call them: a saved map
// (versions, drift), an export written as a zip, a dry run, and an erasure whose signed ledger
// entry lands in a real S3 bucket (TLS). The agent's install record is written to the store
// directly: the GDPR service reads only its data directory and retention from it, and a real
// install would add a minute to CI for nothing these commands use.

describe('GDPR commands (map, export, erase) through the contract', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let s3: S3Server;
  let dataDir: string;
  let secrets: SecretStore;
  let core: AppCore;
  let serverId: string;

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok)
      throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  }

  /** `ssh-keygen -Y verify` of `folder`/MANIFEST.sha256 against the app's key: its output. */
  async function verifySignature(folder: string): Promise<string> {
    const allowed = path.join(folder, '..', `${path.basename(folder)}.allowed_signers`);
    const principal = fs.readFileSync(path.join(folder, 'signer.pub'), 'utf8').split(' ')[0]!;
    fs.writeFileSync(allowed, `${principal} ${(await appPublicKey(secrets))!}\n`);
    const verified = await runCommand(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        allowed,
        '-I',
        principal,
        '-n',
        'kumiko-report',
        '-s',
        'MANIFEST.sha256.sig',
      ],
      {
        cwd: folder,
        name: 'ssh-keygen',
        check: false,
        input: fs.createReadStream(path.join(folder, 'MANIFEST.sha256')),
      },
    );
    return `${verified.stdout}${verified.stderr}`;
  }

  beforeAll(async () => {
    [pg, sshd, s3] = await Promise.all([startPostgres(), startSshd(), startS3()]);
    await pg.psql(SHOP_SQL);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-gdpr-service-'));
    secrets = await openVault(path.join(dataDir, 'secrets.vault'), 'gdpr-test-passphrase');
    core = await createAppCore({ dataDir, secrets, transport: 'cli' });
    serverId = await addServerWithInstallRecord(core, dataDir, secrets, { pg, sshd, s3 });
  });

  afterAll(async () => {
    await core?.close();
    await sshd?.stop();
    await pg?.stop();
    await s3?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('saves the map in versions and names a schema change', async () => {
    const root = 'sales.account.handle';
    const shown = await call<GdprMapResult>('gdpr.map', { serverId, database: 'shop', root });
    expect(shown.version).toBeNull();
    const v1 = await call<GdprMapResult>('gdpr.map', {
      serverId,
      database: 'shop',
      root,
      save: true,
    });
    expect(v1.version).toBe(1);
    await pg.psql('ALTER TABLE sales.address ADD COLUMN phone text', 'shop');
    const drifted = await call<GdprMapResult>('gdpr.map', { serverId, database: 'shop' });
    expect(drifted.drift.join(' ')).toMatch(/changed/);
    await expect(
      call('gdpr.export', { serverId, database: 'shop', subject: SHOP_SUBJECT }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const v2 = await call<GdprMapResult>('gdpr.map', { serverId, database: 'shop', save: true });
    expect(v2.version).toBe(2);
    expect(v2.map.tables.find((t) => t.table === 'address')?.personalColumns).toContain('phone');
  });

  it('exports the subject as a signed zip whose manifest verifies', async () => {
    const out = path.join(dataDir, 'exports');
    const result = await call<GdprExportResult>('gdpr.export', {
      serverId,
      database: 'shop',
      subject: SHOP_SUBJECT,
      outputDirectory: out,
    });
    expect(result.tables.map((t) => t.table).sort()).toEqual(Object.keys(SHOP_TRUTH).sort());
    expect(result.backupsExpire).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await runCommand('unzip', ['-q', result.path], { cwd: out, name: 'unzip' });
    const folder = path.join(out, `gdpr-export-${result.exportId}`);
    await runCommand('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: folder, name: 'sha256sum' });
    expect(await verifySignature(folder)).toMatch(/Good "kumiko-report" signature/);
  });

  it('exports as a job after a size estimate, and a cancelled export writes no file', async () => {
    const request = { serverId, database: 'shop', subject: 'u3' };
    const estimate = await call<GdprExportEstimate>('gdpr.export.estimate', request);
    expect(estimate.tables.map((t) => t.table).sort()).toEqual(Object.keys(SHOP_TRUTH).sort());
    expect(estimate.rows).toBe(estimate.tables.reduce((n, t) => n + t.rows, 0));
    expect(estimate.bytes).toBeGreaterThan(0);
    const phases: string[] = [];
    const stop = core.onEvent((event, payload) => {
      const job = payload as Job;
      if (event === 'job.progress' && job.phase && phases.at(-1) !== job.phase)
        phases.push(job.phase);
    });
    const out = path.join(dataDir, 'exports-job');
    try {
      const { jobId } = await call<{ jobId: string }>('gdpr.export.start', {
        ...request,
        outputDirectory: out,
      });
      const job = await core.jobs.wait(jobId);
      expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
      expect(job.kind).toBe('gdpr.export');
      expect(phases.filter((p) => p !== 'starting')).toEqual(['estimate', 'read', 'write']);
      const result = job.result as GdprExportResult;
      expect(fs.statSync(result.path).size).toBe(result.bytes);
      expect(result.tables).toEqual(estimate.tables);
    } finally {
      stop();
    }
    const cancelledOut = path.join(dataDir, 'exports-cancelled');
    const { jobId } = await call<{ jobId: string }>('gdpr.export.start', {
      ...request,
      outputDirectory: cancelledOut,
    });
    await call('jobs.cancel', { id: jobId });
    expect((await core.jobs.wait(jobId)).state).toBe('cancelled');
    expect(fs.existsSync(cancelledOut) ? fs.readdirSync(cancelledOut) : []).toEqual([]);
  });

  it('dry run, then erasure with its signed ledger entry in the bucket', async () => {
    const dry = await call<GdprEraseResult>('gdpr.erase', {
      serverId,
      database: 'shop',
      subject: SHOP_SUBJECT,
      dryRun: true,
    });
    expect(dry.refusals.length).toBe(1);
    expect(dry.hardDeleteDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect(
      call('gdpr.erase', { serverId, database: 'shop', subject: SHOP_SUBJECT, dryRun: false }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(s3.listKeys('kumiko', `kumiko/${serverId}/gdpr/`)).toEqual([]);
    await pg.psql(`UPDATE sales.account SET referred_by = NULL WHERE handle = 'friend'`, 'shop');
    const erased = await call<GdprEraseResult>('gdpr.erase', {
      serverId,
      database: 'shop',
      subject: SHOP_SUBJECT,
      dryRun: false,
    });
    expect(erased.erasureId).toBeTruthy();
    const [count] = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales.account WHERE handle = $1`,
      [SHOP_SUBJECT],
      'shop',
    );
    expect(count!.n).toBe(0);
    const keys = s3.listKeys('kumiko', `kumiko/${serverId}/gdpr/`);
    expect(keys).toEqual([`kumiko/${serverId}/gdpr/${erased.erasureId}.json`]);
    const stored = fs.readdirSync(path.join(s3.dataDir, 'kumiko'), { recursive: true });
    const file = stored
      .map(String)
      .find((f) => f.includes(erased.erasureId!) && f.endsWith('._S3rver_object'));
    const body = fs.readFileSync(path.join(s3.dataDir, 'kumiko', file!));
    expect(body.toString()).not.toContain('neil');
    const opened = openLedgerObject(body, (await appPublicKey(secrets))!, serverId);
    expect(opened.ok && opened.entry.targets.map((t) => t.table)).toEqual([
      'delivery_note',
      'order_item',
      'orders',
      'address',
      'account',
    ]);
  });
  it('records requests with their one-month deadline, answers one by its export', async () => {
    const access = await call<GdprRequest>('gdpr.requests.add', {
      serverId,
      kind: 'access',
      database: 'shop',
      subject: 'u3',
      receivedOn: '2026-01-31',
      note: 'letter of 31 January',
    });
    // Art. 12(3): one month; January 31st's month ends with February.
    expect(access).toMatchObject({ deadline: '2026-02-28', status: 'open', exportJobId: null });
    const later = await call<GdprRequest>('gdpr.requests.add', {
      serverId,
      kind: 'erasure',
      database: 'shop',
      subject: 'u300',
    });
    expect(later.receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const listed = await call<GdprRequestsList>('gdpr.requests.list', { serverId });
    expect(listed.requests.map((r) => r.id)).toEqual([access.id, later.id]);
    // An access request cannot erase.
    await expect(
      call('gdpr.requests.erase', { id: access.id, dryRun: true }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const { jobId } = await call<{ jobId: string }>('gdpr.requests.export', {
      id: access.id,
      outputDirectory: path.join(dataDir, 'request-exports'),
    });
    expect((await call<GdprRequest>('gdpr.requests.show', { id: access.id })).exportJobId).toBe(
      jobId,
    );
    const job = await core.jobs.wait(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const answered = await call<GdprRequest>('gdpr.requests.show', { id: access.id });
    expect(answered.status).toBe('answered');
    expect(answered.export?.path).toBe((job.result as GdprExportResult).path);
    const file = await call<TransferFile>('gdpr.requests.evidence', {
      id: access.id,
      what: 'export',
    });
    expect(file.sha256).toBe(answered.export!.sha256);
    expect(Buffer.from(file.base64, 'base64').length).toBe(answered.export!.bytes);
  });

  it('erases from a request and confirms it signed, with no personal value in it', async () => {
    const [request] = (
      await call<GdprRequestsList>('gdpr.requests.list', { serverId })
    ).requests.filter((r) => r.kind === 'erasure');
    const dry = await call<GdprRequestEraseResult>('gdpr.requests.erase', {
      id: request!.id,
      dryRun: true,
    });
    expect(dry.erasure.refusals).toEqual([]);
    expect(dry.request.confirmation).toBeNull();
    const done = await call<GdprRequestEraseResult>('gdpr.requests.erase', {
      id: request!.id,
      dryRun: false,
    });
    expect(done.request.status).toBe('erased');
    const [left] = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales.account WHERE handle = 'u300'`,
      [],
      'shop',
    );
    expect(left!.n).toBe(0);

    // The confirmation as the DPO downloads it: unzip, sha256sum -c, ssh-keygen -Y verify.
    const file = await call<TransferFile>('gdpr.requests.evidence', {
      id: request!.id,
      what: 'confirmation',
    });
    const out = path.join(dataDir, 'confirmation');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, file.fileName), Buffer.from(file.base64, 'base64'));
    await runCommand('unzip', ['-q', file.fileName], { cwd: out, name: 'unzip' });
    const folder = path.join(out, `gdpr-erasure-${request!.id}`);
    await runCommand('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: folder, name: 'sha256sum' });
    expect(await verifySignature(folder)).toMatch(/Good "kumiko-report" signature/);
    const confirmation = JSON.parse(
      fs.readFileSync(path.join(folder, 'confirmation.json'), 'utf8'),
    );
    expect(confirmation).toMatchObject({
      requestId: request!.id,
      database: 'shop',
      ledgerEntry: done.erasure.erasureId,
      backupsRollOverBy: done.erasure.hardDeleteDue,
    });
    expect(confirmation.tables).toEqual(done.erasure.tables);
    expect(
      confirmation.tables.find((t: { table: string }) => t.table.endsWith('orders')).rows,
    ).toBe(3);
    // No personal value: not the key, not the e-mail, name or street of the subject.
    for (const name of fs.readdirSync(folder)) {
      const text = fs.readFileSync(path.join(folder, name), 'utf8');
      for (const value of ['u300', 'User 300', 'example.org', 'Street'])
        expect(text, `${name} holds ${value}`).not.toContain(value);
    }
    // A changed confirmation no longer matches its signed manifest.
    fs.appendFileSync(path.join(folder, 'confirmation.json'), ' ');
    await expect(
      runCommand('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: folder, name: 'sha256sum' }),
    ).rejects.toThrow();
    // The accountability log names the erasure by the request, never by the subject's key.
    const logged = await call<{ entries: { action: string; target: object; params: object }[] }>(
      'accountability.list',
      { action: 'gdpr.erase' },
    );
    const entry = logged.entries.find(
      (e) => (e.target as { request?: string }).request === request!.id,
    );
    expect(entry?.params).toMatchObject({ erasureId: done.erasure.erasureId });
    expect(JSON.stringify(entry)).not.toContain('u300');
    // Erased once: a second erasure from the same request is refused.
    await expect(
      call('gdpr.requests.erase', { id: request!.id, dryRun: false }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
