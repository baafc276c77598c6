import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { judgeBucketProtection } from '../../shared/agent/bucket-protection';
import type { Heartbeat } from '../../shared/agent/heartbeat';
import { kitNotConfirmed, recoveryKitTile } from '../../shared/agent/recovery-kit-gate';
import type { Result } from '../../shared/contract';
import { repositorySecretNames } from '../../electron/services/agent-install/install-job';
import { parseArgs } from '../../electron/cli/args';
import { kitCommand } from '../../electron/cli/kit-commands';
import { printError } from '../../electron/cli/output';
import type { AppCore } from '../../electron/ipc/app-core';
import { MonitoringService } from '../../electron/services/monitoring/monitoring-service';
import { RecoveryKitService } from '../../electron/services/recovery-kit/recovery-kit-service';
import { openVault } from '../../electron/services/secrets/vault';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { generateEd25519KeyPair } from '../../node/signing';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import {
  clusterProtection,
  tileReason,
  tileValue,
} from '../../renderer/features/dashboard/kit-gate';
import { translate, type MessageKey, type Params } from '../../renderer/app/i18n/translate';

// Issue 15 §3: a server counts as protected only once the admin confirmed its recovery kit.
// The gate itself (pure), then the real store, kit service and monitoring composed: a healthy
// agent is amber until the kit is confirmed (by the console's command and by `kumiko kit
// acknowledge`), green after, and amber again after a new export.

const SERVER_ID = '6b1f0c2a-8d4e-4f7a-9b3c-2e5d7a9c1f08';
const now = () => new Date();
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/** What a healthy agent reports: every tile of its own is green. */
function healthyHeartbeat(): Heartbeat {
  return {
    serverId: SERVER_ID,
    agentVersion: '0.1.0',
    at: ago(5),
    archiver: {
      archivedCount: 10,
      lastArchivedWal: '000000010000000000000010',
      lastArchivedAt: ago(30),
      failedCount: 0,
      lastFailedWal: null,
      lastFailedAt: null,
      secondsSinceLastArchive: 30,
    },
    repository: { reachable: true, statusCode: 0, message: 'ok', newestWal: null, backupCount: 1 },
    lastRecoveryPoint: { label: '20261126-023000F', at: ago(3600), ok: true },
    lastRecoveryPointError: null,
    lastRetention: null,
    spool: { path: '/var/lib/kumiko-agent/spool', bytes: 0, queuedFiles: 0 },
    disk: { path: '/var/lib/postgresql', freeBytes: 50e9, totalBytes: 100e9 },
    scheduler: { mode: 'daemon', running: true, nextSnapshotAt: null },
    lastDrill: {
      drillId: 'drill-1',
      startedAt: ago(86_400),
      at: ago(86_000),
      passed: true,
      backupLabel: '20261126-023000F',
      failedChecks: [],
      failure: null,
    },
    drill: { intervalSeconds: 91 * 86_400, scheduleSince: ago(60 * 86_400), lastAttempt: null },
    bucketProtection: judgeBucketProtection(
      {
        versioning: 'Enabled',
        objectLock: { state: 'Enabled', mode: 'COMPLIANCE', days: 100 },
        lifecycle: { state: 'none', expirationDays: null, noncurrentDays: null },
        versionDelete: 'denied',
        notes: [],
      },
      93,
      new Date(ago(3600)),
    ),
    incidents: {},
  };
}

describe('the recovery kit gate (pure)', () => {
  it('is amber until the kit is confirmed, green after, and names who confirmed', () => {
    const never = recoveryKitTile({ exportedAt: null, acknowledgedAt: null, acknowledgedBy: null });
    expect(never).toMatchObject({ id: 'recoveryKit', level: 'warning', value: 'not exported' });
    expect(never.reason).toContain('Not protected yet: recovery kit not confirmed');
    expect(never.reason).toContain('Export the recovery kit, store it away from the server');
    const exported = recoveryKitTile({
      exportedAt: ago(60),
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    expect(exported).toMatchObject({ level: 'warning', value: 'not confirmed' });
    expect(kitNotConfirmed([exported])).toBe(true);
    const confirmed = recoveryKitTile({
      exportedAt: ago(60),
      acknowledgedAt: ago(10),
      acknowledgedBy: 'anna',
    });
    expect(confirmed).toMatchObject({ level: 'ok', value: 'confirmed' });
    expect(confirmed.reason).toContain('anna');
    expect(kitNotConfirmed([confirmed])).toBe(false);
  });

  it('words the gate from the catalogs, German first, and grades the Protection column', () => {
    const tile = recoveryKitTile({ exportedAt: null, acknowledgedAt: null, acknowledgedBy: null });
    const de = (key: MessageKey, p?: Params) => translate('de', key, p);
    const en = (key: MessageKey, p?: Params) => translate('en', key, p);
    expect(tileReason(tile, de, 'de')).toBe(
      'Noch nicht geschützt: Notfallblatt nicht bestätigt. Exportieren Sie das Notfallblatt, bewahren Sie es getrennt vom Server auf und bestätigen Sie es dann.',
    );
    expect(tileReason(tile, en, 'en')).toBe(
      'Not protected yet: recovery kit not confirmed. Export the recovery kit, store it away from the server, then confirm.',
    );
    expect(tileValue(tile, de, 'de')).toBe('nicht exportiert');
    expect(en('detail.protection.kitUnconfirmed')).toBe(
      'not protected yet: recovery kit not confirmed',
    );
    expect(de('detail.protection.kitUnconfirmed')).toBe(
      'noch nicht geschützt: Notfallblatt nicht bestätigt',
    );
    const dir = '/var/lib/postgresql/15/main';
    expect(clusterProtection(dir, dir, null)).toBe('kitUnconfirmed');
    expect(clusterProtection(dir, dir, ago(1))).toBe('protected');
    expect(clusterProtection(dir, dir, undefined)).toBe('loading');
    expect(clusterProtection('/srv/other', dir, ago(1))).toBe('unprotected');
  });
});

describe('the gate in the app: store, kit service, monitoring and `kumiko kit`', () => {
  let tmp: string;
  let db: Db;
  let kits: RecoveryKitService;
  let monitoring: MonitoringService;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-kit-gate-'));
    db = openDatabase(path.join(tmp, 'data'));
    db.prepare(
      `INSERT INTO servers (id, name, host, port, user, auth_kind, status, created_at)
       VALUES (?, 'db1', 'db1.example', 22, 'root', 'privateKey', 'connected', ?)`,
    ).run(SERVER_ID, now().toISOString());
    const secrets = await openVault(path.join(tmp, 'vault.json'), 'kit gate test');
    const names = repositorySecretNames(SERVER_ID);
    await secrets.set(names.cipherPass, crypto.randomBytes(24).toString('base64url'));
    await secrets.set(names.resticPassword, crypto.randomBytes(24).toString('base64url'));
    const server = { id: SERVER_ID, name: 'db1', detection: null };
    const servers = { get: () => server, list: () => [server] };
    const agent = {
      installed: () => ({
        serverId: SERVER_ID,
        version: '0.1.0',
        stanza: 'main',
        dataDirectory: '/var/lib/postgresql/15/main',
        scheduler: 'daemon' as const,
        publicKey: openSshPublicKeyLine(generateEd25519KeyPair().publicKey, 'kumiko-agent'),
        settings: { pgVersion: '15' },
        installedAt: ago(600),
      }),
      remoteStatus: async () => healthyHeartbeat(),
    };
    const storage = {
      credentials: async () => ({
        endpoint: 'https://s3.eu-central-1.amazonaws.com',
        bucket: 'acme-backups',
        region: 'eu-central-1',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        ownStorage: false,
      }),
    };
    // The services only meet these through their public methods; the store and vault are real.
    kits = new RecoveryKitService({
      db,
      dataDir: tmp,
      servers: servers as never,
      storage: storage as never,
      agent: agent as never,
      secrets,
      appUser: () => 'anna',
    });
    monitoring = new MonitoringService({
      servers: servers as never,
      storage: storage as never,
      agent: agent as never,
      recoveryKit: kits,
    });
  });

  afterAll(() => {
    db?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A core over the real kit service, as the CLI reaches it through dispatch. */
  const core = {
    async dispatch(
      name: string,
      input: { serverId: string; sha256?: string; outputDirectory?: string },
    ) {
      try {
        const value =
          name === 'recoveryKit.status'
            ? kits.status(input.serverId)
            : name === 'recoveryKit.export'
              ? await kits.export(input.serverId, input.outputDirectory)
              : kits.acknowledge(input.serverId, input.sha256 ?? '');
        return { ok: true, value } as Result<unknown>;
      } catch (err) {
        return {
          ok: false,
          error: { code: 'CONFLICT', message: (err as Error).message },
        } as Result<unknown>;
      }
    },
  } as unknown as AppCore;
  /** `kumiko kit …` with its printed output kept out of the test log. */
  async function cli(...argv: string[]): Promise<number> {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // Usage errors are thrown and printed by main's one error path (electron/cli/output.ts).
      return await kitCommand(core, parseArgs(['kit', ...argv]), true).catch((e: unknown) =>
        printError(e, true),
      );
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('keeps a healthy server amber until its kit is confirmed in the console, green after', async () => {
    const before = await monitoring.get(SERVER_ID);
    expect(before.level).toBe('warning');
    expect(before.tiles.filter((t) => t.level !== 'ok').map((t) => t.id)).toEqual(['recoveryKit']);

    const kit = await kits.export(SERVER_ID, path.join(tmp, 'kits'));
    expect((await monitoring.get(SERVER_ID)).level).toBe('warning');
    expect(() => kits.acknowledge(SERVER_ID, 'f'.repeat(64))).toThrow(/most recently exported/);
    expect((await monitoring.get(SERVER_ID)).level).toBe('warning');

    const ack = kits.acknowledge(SERVER_ID, kit.sha256);
    expect(ack.acknowledgedBy).toBe('anna');
    expect(kits.status(SERVER_ID)).toEqual({
      exportedAt: kit.exportedAt,
      sha256: kit.sha256,
      acknowledgedAt: ack.acknowledgedAt,
      acknowledgedBy: 'anna',
    });
    const after = await monitoring.get(SERVER_ID);
    expect(after.level).toBe('ok');
    expect(after.tiles.find((t) => t.id === 'recoveryKit')?.reason).toContain('anna');

    // A new kit (new keys, a lost copy) must be confirmed again.
    await kits.export(SERVER_ID, path.join(tmp, 'kits'));
    expect((await monitoring.get(SERVER_ID)).level).toBe('warning');
    expect(kits.status(SERVER_ID).acknowledgedBy).toBeNull();
  });

  it('confirms through `kumiko kit acknowledge`: asks, checks a named file, then opens the gate', async () => {
    const out = path.join(tmp, 'cli-kits');
    expect(await cli('export', '--server', SERVER_ID, '--out', out)).toBe(0);
    const pdf = fs.readdirSync(out).find((f) => f.endsWith('.pdf')) as string;
    // No terminal to ask and no --yes: nothing is confirmed.
    expect(await cli('acknowledge', '--server', SERVER_ID)).toBe(2);
    expect(kits.status(SERVER_ID).acknowledgedAt).toBeNull();
    // A file that is not the newest kit is refused.
    const other = path.join(tmp, 'other.pdf');
    fs.writeFileSync(other, '%PDF-1.4 something else\n');
    expect(await cli('acknowledge', '--server', SERVER_ID, '--file', other)).toBe(6); // refused
    expect((await monitoring.get(SERVER_ID)).level).toBe('warning');

    expect(await cli('acknowledge', '--server', SERVER_ID, '--file', path.join(out, pdf))).toBe(0);
    expect(kits.status(SERVER_ID)).toMatchObject({ acknowledgedBy: 'anna' });
    expect((await monitoring.get(SERVER_ID)).level).toBe('ok');

    await kits.export(SERVER_ID, out);
    expect(await cli('acknowledge', '--server', SERVER_ID, '--yes')).toBe(0);
    expect((await monitoring.get(SERVER_ID)).level).toBe('ok');
  });
});
