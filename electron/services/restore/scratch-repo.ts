import type { AgentPlaceResult } from '../../../shared/agent/rebuild';
import type { ScratchEnvironment } from '../../../shared/contract';
import type { AgentCommand } from '../agent-run/remote-scripts';
import type { Db } from '../store/database';

/**
 * A scratch environment as stored: what the admin sees, plus what dropping it needs on its
 * host. `creating` is internal: a restore still running (or one the app died during, which the
 * sweep at start removes); the contract only ever sees running, failed and removed.
 */
export interface ScratchRecord {
  env: ScratchEnvironment;
  state: ScratchEnvironment['state'] | 'creating';
  /**
   * How to stop and delete it: the agent on its host that made it (`scratch-drop`), its folder
   * there and, on another host, the restore's own config folder (removed after the drop).
   */
  host: { root: string; agent: AgentCommand; configDir?: string | null };
  /**
   * A rebuild's restore put the verified cluster in place in the same run: where it runs now.
   * Kept with the record, so a rebuild resumed after the app died still learns it.
   */
  placed?: AgentPlaceResult;
}

interface Row {
  id: string;
  state: string;
  env_json: string;
}

/** The `scratch_environments` table. */
export class ScratchRepo {
  constructor(private readonly db: Db) {}

  /** Inserts or updates an environment (its state, expiry and details). */
  save(record: ScratchRecord): void {
    this.db
      .prepare(
        `INSERT INTO scratch_environments (id, source_server_id, host_server_id, created_at, expires_at, state, env_json)
         VALUES (@id, @source, @host, @createdAt, @expiresAt, @state, @json)
         ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at, state = excluded.state,
           env_json = excluded.env_json`,
      )
      .run({
        id: record.env.id,
        source: record.env.sourceServerId,
        host: record.env.hostServerId,
        createdAt: record.env.createdAt,
        expiresAt: record.env.expiresAt,
        state: record.state,
        json: JSON.stringify({ env: record.env, host: record.host, placed: record.placed }),
      });
  }

  /** Records a measured size (only for an environment not removed meanwhile). */
  setSize(id: string, bytes: number): void {
    this.db
      .prepare(
        `UPDATE scratch_environments SET env_json = json_set(env_json, '$.env.sizeBytes', ?)
         WHERE id = ? AND state != 'removed'`,
      )
      .run(bytes, id);
  }

  /** Forgets an environment that never came to exist (a restore cancelled or failed early). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM scratch_environments WHERE id = ?').run(id);
  }

  /** One environment in any state, or null. */
  get(id: string): ScratchRecord | null {
    const row = this.db.prepare('SELECT * FROM scratch_environments WHERE id = ?').get(id) as
      Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Every environment not yet removed, newest first. */
  live(): ScratchRecord[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM scratch_environments WHERE state != 'removed' ORDER BY created_at DESC",
      )
      .all() as Row[];
    return rows.map(toRecord);
  }

  /** Listed environments (not the ones still being created), newest first. */
  listed(): ScratchRecord[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM scratch_environments WHERE state != 'creating' ORDER BY created_at DESC",
      )
      .all() as Row[];
    return rows.map(toRecord);
  }

  /** Live environments whose expiry has passed, or that a crashed restore left half-made. */
  due(now: Date): ScratchRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM scratch_environments
         WHERE state = 'creating' OR (state IN ('running', 'failed') AND expires_at IS NOT NULL AND expires_at <= ?)`,
      )
      .all(now.toISOString()) as Row[];
    return rows.map(toRecord);
  }

  /** Ports of live environments on a host (so two never collide while one is stopped). */
  portsOn(hostServerId: string): number[] {
    return this.live()
      .filter((r) => r.env.hostServerId === hostServerId)
      .map((r) => r.env.port);
  }
}

function toRecord(row: Row): ScratchRecord {
  const parsed = JSON.parse(row.env_json) as {
    env: ScratchEnvironment;
    host: ScratchRecord['host'];
    placed?: AgentPlaceResult;
  };
  const state = row.state as ScratchRecord['state'];
  return {
    env: { ...parsed.env, state: state === 'creating' ? 'running' : state },
    state,
    host: parsed.host,
    ...(parsed.placed ? { placed: parsed.placed } : {}),
  };
}
