import { StorageCheckReport, StorageProvider, type StorageTarget } from '../../../shared/contract';
import type { Db } from '../store/database';

interface Row {
  server_id: string;
  endpoint: string;
  bucket: string;
  region: string;
  own_storage: number;
  provider: string;
  access_key_hint: string;
  restore_key_hint: string | null;
  report_json: string;
  saved_at: string;
}

/** The non-secret part of a storage target in SQLite (table storage_targets). */
export class StorageRepo {
  constructor(private readonly db: Db) {}

  serverExists(serverId: string): boolean {
    return this.db.prepare('SELECT 1 FROM servers WHERE id = ?').get(serverId) !== undefined;
  }

  upsert(target: StorageTarget): void {
    this.db
      .prepare(
        `INSERT INTO storage_targets
           (server_id, endpoint, bucket, region, own_storage, provider, access_key_hint, restore_key_hint, report_json, saved_at)
         VALUES (@serverId, @endpoint, @bucket, @region, @ownStorage, @provider, @accessKeyHint, @restoreKeyHint, @reportJson, @savedAt)
         ON CONFLICT(server_id) DO UPDATE SET
           endpoint = excluded.endpoint, bucket = excluded.bucket, region = excluded.region,
           own_storage = excluded.own_storage, provider = excluded.provider,
           access_key_hint = excluded.access_key_hint, restore_key_hint = excluded.restore_key_hint,
           report_json = excluded.report_json,
           saved_at = excluded.saved_at`,
      )
      .run({
        serverId: target.serverId,
        endpoint: target.endpoint,
        bucket: target.bucket,
        region: target.region,
        ownStorage: target.ownStorage ? 1 : 0,
        provider: target.provider,
        accessKeyHint: target.accessKeyHint,
        restoreKeyHint: target.restoreKeyHint,
        reportJson: JSON.stringify(target.report),
        savedAt: target.savedAt,
      });
  }

  get(serverId: string): StorageTarget | null {
    const row = this.db
      .prepare('SELECT * FROM storage_targets WHERE server_id = ?')
      .get(serverId) as Row | undefined;
    if (!row) return null;
    return {
      serverId: row.server_id,
      endpoint: row.endpoint,
      bucket: row.bucket,
      region: row.region,
      ownStorage: row.own_storage === 1,
      provider: StorageProvider.parse(row.provider),
      accessKeyHint: row.access_key_hint,
      restoreKeyHint: row.restore_key_hint,
      report: StorageCheckReport.parse(JSON.parse(row.report_json)),
      savedAt: row.saved_at,
    };
  }
}
