import { findTable, schemaFingerprint, tableName, type SchemaGraph } from './schema-graph';
import { buildSubjectMap, SubjectMapError, type MapEdits, type SubjectMap } from './subject-map';

// A saved map is checked against the live schema before every export or erasure: a table
// that went, a column that changed, a foreign key that appeared or vanished can change which
// rows belong to the subject. Such a change is named, never silently ignored; the DPO reviews
// the map again and saves a new version.

/** What changed since the map was saved; empty when the schema is the same. */
export function mapDrift(map: SubjectMap, graph: SchemaGraph, edits: MapEdits = {}): string[] {
  if (schemaFingerprint(graph, map.tables) === map.schemaFingerprint) return [];
  const changes: string[] = [];
  for (const mapped of map.tables) {
    const live = findTable(graph, mapped);
    if (!live) {
      changes.push(`table ${tableName(mapped)} no longer exists`);
      continue;
    }
    for (const column of [...mapped.personalColumns, ...mapped.fileColumns]) {
      if (!live.columns.some((c) => c.name === column))
        changes.push(`column ${tableName(mapped)}.${column} no longer exists`);
    }
  }
  let rebuilt: SubjectMap | null = null;
  try {
    rebuilt = buildSubjectMap(graph, map.database, map.root, edits);
  } catch (err) {
    if (!(err instanceof SubjectMapError)) throw err;
    changes.push(err.message);
  }
  if (rebuilt) {
    const before = new Set(map.tables.map(tableName));
    const after = new Set(rebuilt.tables.map(tableName));
    for (const t of after) if (!before.has(t)) changes.push(`table ${t} now belongs to the map`);
    for (const t of before)
      if (!after.has(t) && findTable(graph, parseName(t)))
        changes.push(`table ${t} is no longer reached`);
    const linksBefore = new Set(map.links.map((l) => l.id));
    const linksAfter = new Set(rebuilt.links.map((l) => l.id));
    for (const l of linksAfter) if (!linksBefore.has(l)) changes.push(`link ${l} is new`);
    for (const l of linksBefore) if (!linksAfter.has(l)) changes.push(`link ${l} is gone`);
  }
  if (changes.length === 0) changes.push('columns or column types of mapped tables changed');
  return changes;
}

function parseName(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}
