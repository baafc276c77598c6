import {
  MapLink,
  SubjectMap,
  type MapEdits,
  type MappedTable,
} from '../../shared/gdpr/subject-map-schema';
export { MapEdits, MapLink, MappedTable, SubjectMap } from '../../shared/gdpr/subject-map-schema';
import {
  findTable,
  schemaFingerprint,
  tableName,
  type SchemaForeignKey,
  type SchemaGraph,
} from './schema-graph';

// The subject map (issue 17 §1): which rows of a database belong to one data subject. From a
// root (a table and the column that names the subject, e.g. customer.customer_id) it follows
// every foreign key that points INTO a mapped table: a row that references a subject's row
// belongs to the subject (the customer's invoices, their invoice lines). Foreign keys pointing
// OUT of the map (invoice_line -> track, customer -> support employee) lead to shared data and
// are not followed. Self-references are listed but not followed by default (a reply to the
// subject's comment is someone else's), and cycles are fine: the rows are a fixed point.

// Guesses the DPO confirms or corrects: names that usually hold personal data or file paths.
const PERSONAL =
  /(^|_)(first_?name|last_?name|full_?name|name|e_?mail|phone|mobile|fax|address|street|city|zip|postal_?code|postcode|birth_?date|birthday|date_of_birth|iban|ip_?address|company|state|country)($|_)/i;
const FILE = /(^|_)(file|path|attachment|upload|document|photo|avatar)(_|$)/i;

/** A map error a person can act on. */
export class SubjectMapError extends Error {}

/** The map's id of a foreign key: `schema.table.constraint` of the referencing table. */
export function foreignKeyLinkId(fk: SchemaForeignKey): string {
  return `${fk.childSchema}.${fk.childTable}.${fk.name}`;
}

function linkOf(fk: SchemaForeignKey): MapLink {
  const self = fk.childSchema === fk.parentSchema && fk.childTable === fk.parentTable;
  return {
    id: foreignKeyLinkId(fk),
    source: 'foreign-key',
    childSchema: fk.childSchema,
    childTable: fk.childTable,
    childColumns: fk.childColumns,
    parentSchema: fk.parentSchema,
    parentTable: fk.parentTable,
    parentColumns: fk.parentColumns,
    followed: !self,
    ...(self ? { why: 'self-reference' as const } : {}),
  };
}

const childOf = (l: MapLink) => ({ schema: l.childSchema, table: l.childTable });
const parentOf = (l: MapLink) => ({ schema: l.parentSchema, table: l.parentTable });

/**
 * Builds the map of `root` (`schema.table.column` parts) on `graph`, with the DPO's `edits`.
 * @throws SubjectMapError when the root or an added link names what the schema lacks.
 */
export function buildSubjectMap(
  graph: SchemaGraph,
  database: string,
  root: { schema: string; table: string; column: string },
  edits: MapEdits = {},
): SubjectMap {
  const rootTable = findTable(graph, root);
  if (!rootTable) throw new SubjectMapError(`The table ${tableName(root)} does not exist.`);
  if (!rootTable.columns.some((c) => c.name === root.column)) {
    throw new SubjectMapError(`The table ${tableName(root)} has no column ${root.column}.`);
  }
  const excluded = new Set(edits.excluded ?? []);
  const included = new Set(edits.included ?? []);
  const candidates: MapLink[] = graph.foreignKeys.map(linkOf);
  (edits.added ?? []).forEach((added, i) => {
    for (const [t, cols] of [
      [childOf(added as MapLink), added.childColumns],
      [parentOf(added as MapLink), added.parentColumns],
    ] as const) {
      const table = findTable(graph, t);
      if (!table)
        throw new SubjectMapError(`The added link names ${tableName(t)}, which does not exist.`);
      const missing = cols.filter((c) => !table.columns.some((x) => x.name === c));
      if (missing.length > 0)
        throw new SubjectMapError(
          `The added link names ${tableName(t)}.${missing.join(', ')}, which does not exist.`,
        );
    }
    if (added.childColumns.length !== added.parentColumns.length)
      throw new SubjectMapError('An added link needs as many child columns as parent columns.');
    candidates.push({ ...added, id: `added:${i + 1}`, source: 'added', followed: true });
  });
  for (const link of candidates) {
    if (excluded.has(link.id)) {
      link.followed = false;
      link.why = 'excluded';
    } else if (included.has(link.id)) {
      link.followed = true;
      delete link.why;
    }
  }

  // Breadth first from the root over links pointing into the map.
  const reached = [tableName(root)];
  const seen = new Set(reached);
  for (let i = 0; i < reached.length; i++) {
    const parent = reached[i];
    for (const link of candidates) {
      if (!link.followed || tableName(parentOf(link)) !== parent) continue;
      const child = tableName(childOf(link));
      if (!seen.has(child)) {
        seen.add(child);
        reached.push(child);
      }
    }
  }
  // Every link between mapped tables is shown, followed or not.
  const links = candidates.filter(
    (l) => seen.has(tableName(childOf(l))) && seen.has(tableName(parentOf(l))),
  );
  const tables: MappedTable[] = reached.map((name) => {
    const t = graph.tables.find((x) => tableName(x) === name)!;
    const edit = edits.tables?.[name] ?? {};
    return {
      schema: t.schema,
      table: t.table,
      action: edit.action ?? 'delete',
      personalColumns:
        edit.personalColumns ?? t.columns.filter((c) => PERSONAL.test(c.name)).map((c) => c.name),
      fileColumns:
        edit.fileColumns ??
        t.columns.filter((c) => FILE.test(c.name) && /text|char/.test(c.type)).map((c) => c.name),
    };
  });
  return SubjectMap.parse({
    format: 'kumiko-subject-map-1',
    database,
    root: { ...root },
    tables,
    links,
    schemaFingerprint: schemaFingerprint(graph, tables),
  });
}

/** Parses `schema.table.column` (or `table.column`, schema public). */
export function parseRoot(text: string): { schema: string; table: string; column: string } {
  const parts = text.split('.');
  if (parts.length === 2 && parts.every(Boolean))
    return { schema: 'public', table: parts[0]!, column: parts[1]! };
  if (parts.length === 3 && parts.every(Boolean))
    return { schema: parts[0]!, table: parts[1]!, column: parts[2]! };
  throw new SubjectMapError(`Name the root as table.column or schema.table.column, not "${text}".`);
}
