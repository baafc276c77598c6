import type { Detection, HostKey, Server, ServerStatus } from '../../../shared/contract';
import { Detection as DetectionSchema, Server as ServerSchema } from '../../../shared/contract';
import type { Db } from './database';

interface ServerRow {
  id: string;
  name: string;
  host: string;
  port: number;
  user: string;
  auth_kind: 'privateKey' | 'generate';
  public_key: string | null;
  host_key_algorithm: string | null;
  host_key_fingerprint: string | null;
  host_key_pinned_at: string | null;
  status: ServerStatus;
  status_message: string | null;
  status_error_json: string | null;
  last_connected_at: string | null;
  detection_json: string | null;
  created_at: string;
  /** From the agents table: the cluster the installed agent protects. */
  protected_data_directory: string | null;
}

// The agent's row lives in its own table (agent-install owns it); a server only shows which of
// its clusters that agent protects.
const SELECT_SERVERS = `SELECT servers.*, agents.data_directory AS protected_data_directory
  FROM servers LEFT JOIN agents ON agents.server_id = servers.id`;

export type NewServer = Pick<
  Server,
  'id' | 'name' | 'host' | 'port' | 'user' | 'authKind' | 'publicKey'
>;

/** Servers and their pinned host keys. Holds no secrets: keys live in the secret store. */
export class ServersRepo {
  constructor(private readonly db: Db) {}

  list(): Server[] {
    const rows = this.db
      .prepare(`${SELECT_SERVERS} ORDER BY servers.name, servers.created_at`)
      .all() as ServerRow[];
    return rows.map(toServer);
  }

  get(id: string): Server | null {
    const row = this.db.prepare(`${SELECT_SERVERS} WHERE servers.id = ?`).get(id) as
      ServerRow | undefined;
    return row ? toServer(row) : null;
  }

  insert(server: NewServer): Server {
    this.db
      .prepare(
        `INSERT INTO servers (id, name, host, port, user, auth_kind, public_key, status, created_at)
         VALUES (@id, @name, @host, @port, @user, @authKind, @publicKey, 'new', @createdAt)`,
      )
      .run({ ...server, createdAt: new Date().toISOString() });
    return this.get(server.id) as Server;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM servers WHERE id = ?').run(id).changes > 0;
  }

  /**
   * New host, port and user. `unpin`: forget the pinned host key and the detection of the old
   * host, status back to 'new' (the next contact asks the admin to confirm the new key).
   */
  updateAddress(
    id: string,
    address: { host: string; port: number; user: string },
    unpin: boolean,
  ): void {
    this.db
      .prepare('UPDATE servers SET host = @host, port = @port, user = @user WHERE id = @id')
      .run({ ...address, id });
    if (unpin) {
      this.db
        .prepare(
          `UPDATE servers SET host_key_algorithm = NULL, host_key_fingerprint = NULL,
           host_key_pinned_at = NULL, status = 'new', status_message = NULL,
           status_error_json = NULL WHERE id = ?`,
        )
        .run(id);
    }
  }

  pinHostKey(id: string, key: Omit<HostKey, 'pinnedAt'>): void {
    this.db
      .prepare(
        `UPDATE servers SET host_key_algorithm = ?, host_key_fingerprint = ?, host_key_pinned_at = ?
         WHERE id = ?`,
      )
      .run(key.algorithm, key.fingerprint, new Date().toISOString(), id);
  }

  setStatus(
    id: string,
    status: ServerStatus,
    message: string | null,
    error: Server['statusError'] = null,
  ): void {
    this.db
      .prepare(
        'UPDATE servers SET status = ?, status_message = ?, status_error_json = ? WHERE id = ?',
      )
      .run(status, message, error ? JSON.stringify(error) : null, id);
  }

  saveDetection(id: string, detection: Detection): void {
    this.db
      .prepare(
        `UPDATE servers SET detection_json = ?, status = 'connected', status_message = NULL, status_error_json = NULL,
         last_connected_at = ? WHERE id = ?`,
      )
      .run(JSON.stringify(detection), detection.detectedAt, id);
  }
}

function toServer(row: ServerRow): Server {
  const detection = row.detection_json
    ? DetectionSchema.safeParse(JSON.parse(row.detection_json))
    : null;
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    user: row.user,
    authKind: row.auth_kind,
    publicKey: row.public_key,
    hostKey:
      row.host_key_fingerprint && row.host_key_algorithm && row.host_key_pinned_at
        ? {
            algorithm: row.host_key_algorithm,
            fingerprint: row.host_key_fingerprint,
            pinnedAt: row.host_key_pinned_at,
          }
        : null,
    status: row.status,
    statusMessage: row.status_message,
    statusError: statusErrorOf(row.status_error_json),
    lastConnectedAt: row.last_connected_at,
    // A stored detection that no longer matches the schema is dropped, not trusted.
    detection: detection?.success ? detection.data : null,
    createdAt: row.created_at,
    protectedDataDirectory: row.protected_data_directory,
  };
}

const StatusError = ServerSchema.shape.statusError;

/** The stored failure, or null when it is missing or no longer matches the contract. */
function statusErrorOf(json: string | null): Server['statusError'] {
  if (!json) return null;
  try {
    const parsed = StatusError.safeParse(JSON.parse(json));
    return parsed.success ? (parsed.data ?? null) : null;
  } catch {
    return null;
  }
}
