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
  Job,
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
    const allowed = path.join(out, 'allowed_signers');
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
        input: fs.createReadStream(path.join(folder, 'MANIFEST.sha256')),
      },
    );
    expect(verified.stdout).toMatch(/Good "kumiko-report" signature/);
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
});
