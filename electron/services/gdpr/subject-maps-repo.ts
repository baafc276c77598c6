import { MapEdits, SubjectMap } from '../../../shared/gdpr/subject-map-schema';
import type { Db } from '../store/database';

/** One saved version of a server database's subject map. */
export interface SavedSubjectMap {
  serverId: string;
  database: string;
  version: number;
  map: SubjectMap;
  edits: MapEdits;
  savedAt: string;
  savedBy: string;
}

interface Row {
  server_id: string;
  database_name: string;
  version: number;
  map_json: string;
  edits_json: string;
  saved_at: string;
  saved_by: string;
}

const fromRow = (row: Row): SavedSubjectMap => ({
  serverId: row.server_id,
  database: row.database_name,
  version: row.version,
  map: SubjectMap.parse(JSON.parse(row.map_json)),
  edits: MapEdits.parse(JSON.parse(row.edits_json)),
  savedAt: row.saved_at,
  savedBy: row.saved_by,
});

/** Subject maps per server and database; saving adds a version, none is overwritten. */
export class SubjectMapsRepo {
  constructor(private readonly db: Db) {}

  latest(serverId: string, database: string): SavedSubjectMap | null {
    const row = this.db
      .prepare(
        'SELECT * FROM gdpr_subject_maps WHERE server_id = ? AND database_name = ? ORDER BY version DESC LIMIT 1',
      )
      .get(serverId, database) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  save(
    serverId: string,
    map: SubjectMap,
    edits: MapEdits,
    savedBy: string,
    savedAt = new Date().toISOString(),
  ): SavedSubjectMap {
    return this.db
      .transaction(() => {
        const { next } = this.db
          .prepare(
            'SELECT coalesce(max(version), 0) + 1 AS next FROM gdpr_subject_maps WHERE server_id = ? AND database_name = ?',
          )
          .get(serverId, map.database) as { next: number };
        this.db
          .prepare('INSERT INTO gdpr_subject_maps VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(
            serverId,
            map.database,
            next,
            JSON.stringify(map),
            JSON.stringify(edits),
            savedAt,
            savedBy,
          );
        return { serverId, database: map.database, version: next, map, edits, savedAt, savedBy };
      })
      .immediate();
  }
}
