import type { RetiredAgentKey } from '../catalog/agent-key-ring';
import type { Db } from '../store/database';

export interface InstalledAgent {
  serverId: string;
  version: string;
  stanza: string;
  dataDirectory: string;
  scheduler: 'systemd' | 'daemon';
  /** OpenSSH public key line of the agent's signing key, pinned at install. */
  publicKey: string;
  /** Non-secret install settings (schedule, retention, alerts without passwords, paths, remote root). */
  settings: Record<string, unknown>;
  installedAt: string;
}

interface AgentRow {
  server_id: string;
  version: string;
  stanza: string;
  data_directory: string;
  scheduler: 'systemd' | 'daemon';
  public_key: string;
  settings_json: string;
  installed_at: string;
}

/** Which servers run the agent, with the pinned signing key. */
export class AgentsRepo {
  constructor(private readonly db: Db) {}

  get(serverId: string): InstalledAgent | null {
    const row = this.db.prepare('SELECT * FROM agents WHERE server_id = ?').get(serverId) as
      AgentRow | undefined;
    return row
      ? {
          serverId: row.server_id,
          version: row.version,
          stanza: row.stanza,
          dataDirectory: row.data_directory,
          scheduler: row.scheduler,
          publicKey: row.public_key,
          settings: JSON.parse(row.settings_json) as Record<string, unknown>,
          installedAt: row.installed_at,
        }
      : null;
  }

  /**
   * Pins the agent; a different key than the one pinned so far (a reinstall after the old
   * agent's key was lost) retires the old one as of now.
   */
  save(agent: InstalledAgent): void {
    const before = this.get(agent.serverId);
    if (before && before.publicKey !== agent.publicKey)
      this.retireKey(agent.serverId, before.publicKey);
    this.db
      .prepare('DELETE FROM agent_retired_keys WHERE server_id = ? AND public_key = ?')
      .run(agent.serverId, agent.publicKey);
    this.db
      .prepare(
        `INSERT INTO agents (server_id, version, stanza, data_directory, scheduler, public_key, settings_json, installed_at)
         VALUES (@serverId, @version, @stanza, @dataDirectory, @scheduler, @publicKey, @settingsJson, @installedAt)
         ON CONFLICT(server_id) DO UPDATE SET version = excluded.version, stanza = excluded.stanza,
           data_directory = excluded.data_directory, scheduler = excluded.scheduler,
           public_key = excluded.public_key, settings_json = excluded.settings_json,
           installed_at = excluded.installed_at`,
      )
      .run({ ...agent, settingsJson: JSON.stringify(agent.settings) });
  }

  /** The uninstall destroyed the agent's key on the server: it signs nothing from now on. */
  remove(serverId: string): void {
    const before = this.get(serverId);
    if (before) this.retireKey(serverId, before.publicKey);
    this.db.prepare('DELETE FROM agents WHERE server_id = ?').run(serverId);
  }

  /** The keys this server's agents had before, each with the moment it stopped signing. */
  retiredKeys(serverId: string): RetiredAgentKey[] {
    return (
      this.db
        .prepare(
          'SELECT public_key, retired_at FROM agent_retired_keys WHERE server_id = ? ORDER BY retired_at',
        )
        .all(serverId) as { public_key: string; retired_at: string }[]
    ).map((r) => ({ publicKey: r.public_key, retiredAt: r.retired_at }));
  }

  /**
   * From now on (or from `at`, a kit's record) the key signs nothing this app trusts; what it
   * signed before stays valid.
   */
  retireKey(serverId: string, publicKey: string, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO agent_retired_keys (server_id, public_key, retired_at) VALUES (?, ?, ?)
         ON CONFLICT (server_id, public_key) DO NOTHING`,
      )
      .run(serverId, publicKey, at);
  }
}
