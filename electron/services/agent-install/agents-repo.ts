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

  save(agent: InstalledAgent): void {
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

  remove(serverId: string): void {
    this.db.prepare('DELETE FROM agents WHERE server_id = ?').run(serverId);
  }
}
