import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { Detection } from '../../../shared/contract';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { AgentsRepo } from '../agent-install/agents-repo';
import { repositorySecretNames } from '../agent-install/install-job';
import { AppError } from '../app-error';
import { appOsUser } from '../os-user';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import type { Db } from '../store/database';
import { kitSections } from './kit-content';
import { reportSigningKeys } from './kit-signing-keys';
import { renderKitPdf } from './kit-pdf';
import type { KitRestoreDefaults } from './kit-restore';
import { renderKitText } from './kit-text';

export interface RecoveryKitDeps {
  db: Db;
  dataDir: string;
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  secrets: SecretStore;
  /** Who is confirming (default: the OS account the app runs as). */
  appUser?: () => string;
}

interface KitRow {
  sha256: string;
  exported_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/** What {@link RecoveryKitService.status} tells: the newest export and its confirmation. */
export interface KitStatus {
  exportedAt: string | null;
  sha256: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/**
 * Key escrow: the repository passphrases and bucket keys as a printable PDF the admin must
 * acknowledge. The file is written by main (mode 0600); the renderer only learns its path.
 */
export class RecoveryKitService {
  constructor(private readonly deps: RecoveryKitDeps) {}

  async export(
    serverId: string,
    outputDirectory?: string,
  ): Promise<{ path: string; textPath: string; sha256: string; exportedAt: string }> {
    const server = this.deps.servers.get(serverId);
    const agent = this.deps.agent.installed(serverId);
    if (!agent)
      throw new AppError('AGENT_NOT_INSTALLED', `Set up backups on ${server.name} first.`);
    const storage = await this.deps.storage.credentials(serverId);
    const names = repositorySecretNames(serverId);
    const cipherPass = await this.deps.secrets.get(names.cipherPass);
    const resticPassword = await this.deps.secrets.get(names.resticPassword);
    if (!cipherPass || !resticPassword) {
      throw new AppError(
        'SECRET_STORE_UNAVAILABLE',
        'The repository passphrases are missing from the secret store.',
      );
    }
    const url = new URL(storage.endpoint);
    const createdAt = new Date();
    const pgVersion =
      typeof agent.settings.pgVersion === 'string' ? agent.settings.pgVersion : '15';
    const title = 'Kumiko Recovery — Recovery kit / Notfallblatt';
    const sections = kitSections({
      serverName: server.name,
      serverId,
      stanza: agent.stanza,
      pgVersion,
      dataDirectory: agent.dataDirectory,
      storage,
      cipherPass,
      resticPassword,
      ledgerKey: await this.deps.secrets.get(names.ledgerKey),
      repoPath: bucketLayout.pgbackrestPath(serverId),
      resticRepository: `s3:https://${url.host}/${storage.bucket}/${bucketLayout.resticPath(serverId)}`,
      createdAt,
      restore: restoreDefaults(server.detection, agent.dataDirectory, pgVersion),
      signingKeys: await reportSigningKeys(agent.publicKey, this.deps.secrets),
      // The newest 50 (what an import accepts): older ones signed nothing retention still keeps.
      earlierAgentKeys: new AgentsRepo(this.deps.db).retiredKeys(serverId).slice(-50),
    });
    const dir = outputDirectory ?? (await defaultOutputDirectory(this.deps.dataDir));
    await fs.mkdir(dir, { recursive: true });
    const safeName = server.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'server';
    const base = `kumiko-recovery-kit-${safeName}-${createdAt.toISOString().slice(0, 10)}`;
    // The same text beside the PDF and inside it: long values and commands copied exactly.
    const text = renderKitText(title, sections);
    const pdf = await renderKitPdf(title, sections, {
      name: `${base}.txt`,
      content: text,
      description: 'The recovery kit as plain text / Das Notfallblatt als Text',
    });
    const file = path.join(dir, `${base}.pdf`);
    const textPath = path.join(dir, `${base}.txt`);
    await fs.writeFile(file, pdf, { mode: 0o600 });
    await fs.writeFile(textPath, text, { mode: 0o600 });
    const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
    this.deps.db
      .prepare(
        `INSERT INTO recovery_kits (server_id, sha256, exported_at, acknowledged_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT(server_id) DO UPDATE SET sha256 = excluded.sha256, exported_at = excluded.exported_at,
           acknowledged_at = NULL, acknowledged_by = NULL`,
      )
      .run(serverId, sha256, createdAt.toISOString());
    return { path: file, textPath, sha256, exportedAt: createdAt.toISOString() };
  }

  /**
   * The admin confirms the newest kit is printed or stored away from the server; until then
   * the server does not count as protected (shared/agent/recovery-kit-gate.ts). A new export
   * needs a new confirmation.
   */
  acknowledge(
    serverId: string,
    sha256: string,
  ): { acknowledgedAt: string; acknowledgedBy: string } {
    const row = this.row(serverId);
    if (!row || row.sha256 !== sha256) {
      throw new AppError(
        'CONFLICT',
        'This is not the most recently exported recovery kit: export it again.',
      );
    }
    const acknowledgedAt = new Date().toISOString();
    const acknowledgedBy = (this.deps.appUser ?? appOsUser)();
    this.deps.db
      .prepare(
        'UPDATE recovery_kits SET acknowledged_at = ?, acknowledged_by = ? WHERE server_id = ?',
      )
      .run(acknowledgedAt, acknowledgedBy, serverId);
    return { acknowledgedAt, acknowledgedBy };
  }

  status(serverId: string): KitStatus {
    this.deps.servers.get(serverId);
    const row = this.row(serverId);
    return {
      exportedAt: row?.exported_at ?? null,
      sha256: row?.sha256 ?? null,
      acknowledgedAt: row?.acknowledged_at ?? null,
      acknowledgedBy: row?.acknowledged_by ?? null,
    };
  }

  private row(serverId: string): KitRow | undefined {
    return this.deps.db
      .prepare(
        'SELECT sha256, exported_at, acknowledged_at, acknowledged_by FROM recovery_kits WHERE server_id = ?',
      )
      .get(serverId) as KitRow | undefined;
  }
}

const RHEL_FAMILY = /^(rhel|centos|rocky|almalinux|ol|fedora|amzn)$/;

/**
 * Where the kit's steps restore: a folder beside production's data directory (same disk,
 * owned by the cluster's user), a port no detected cluster uses, and the PostgreSQL programs
 * where this OS family's packages put them.
 */
export function restoreDefaults(
  detection: Detection | null,
  dataDirectory: string,
  pgVersion: string,
): KitRestoreDefaults {
  const major = pgVersion.split('.')[0] ?? pgVersion;
  const clusters = detection?.clusters ?? [];
  const used = new Set(clusters.map((c) => c.port));
  let port = 5499;
  while (used.has(port)) port -= 1;
  const debian = `/usr/lib/postgresql/${major}/bin`;
  const rhel = `/usr/pgsql-${major}/bin`;
  const isRhel = RHEL_FAMILY.test(detection?.os.id ?? '');
  return {
    directory: path.posix.join(path.posix.dirname(dataDirectory), 'kumiko-restore'),
    port,
    productionPort: clusters.find((c) => c.dataDirectory === dataDirectory)?.port ?? null,
    pgBin: isRhel ? rhel : debian,
    pgBinOther: isRhel ? debian : rhel,
  };
}

async function defaultOutputDirectory(dataDir: string): Promise<string> {
  const downloads = path.join(os.homedir(), 'Downloads');
  try {
    if ((await fs.stat(downloads)).isDirectory()) return downloads;
  } catch {
    // No Downloads folder (servers, CI): keep it beside the app's data.
  }
  return path.join(dataDir, 'recovery-kits');
}
