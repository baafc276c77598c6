import { tableName, type SchemaGraph } from './schema-graph';
import {
  foreignKeyLinkId,
  SubjectMapError,
  type MappedTable,
  type SubjectMap,
} from './subject-map';

// The order an erasure deletes the subject's tables in: a table's rows go before the rows
// they reference, so no foreign key check fails midway. The ledger lists its targets in the
// same order, because the replay after a restore deletes in the order of the entry. A cycle
// is passed through a foreign key checked at commit (DEFERRABLE INITIALLY DEFERRED); a cycle
// of immediate keys cannot be deleted in any order and is named.

/** The mapped tables, referencing tables before referenced ones. */
export function deleteOrder(map: SubjectMap, graph: SchemaGraph): MappedTable[] {
  const names = map.tables.map(tableName);
  const deferredLinks = new Set(
    graph.foreignKeys.filter((f) => f.deferred).map((f) => foreignKeyLinkId(f)),
  );
  // child -> parents it must be deleted before (edges among mapped tables, self-loops aside).
  const mustPrecede = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  const waitsFor = new Map<string, number>(names.map((n) => [n, 0]));
  for (const link of map.links) {
    const child = tableName({ schema: link.childSchema, table: link.childTable });
    const parent = tableName({ schema: link.parentSchema, table: link.parentTable });
    if (child === parent || deferredLinks.has(link.id)) continue;
    if (!mustPrecede.get(child)!.has(parent)) {
      mustPrecede.get(child)!.add(parent);
      waitsFor.set(parent, waitsFor.get(parent)! + 1);
    }
  }
  const order: string[] = [];
  const ready = names.filter((n) => waitsFor.get(n) === 0);
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    for (const parent of mustPrecede.get(next)!) {
      const left = waitsFor.get(parent)! - 1;
      waitsFor.set(parent, left);
      if (left === 0) ready.push(parent);
    }
  }
  if (order.length < names.length) {
    const stuck = names.filter((n) => !order.includes(n));
    throw new SubjectMapError(
      `The tables ${stuck.join(', ')} reference each other through foreign keys checked at once, so their rows cannot be deleted in any order. Make one of these keys DEFERRABLE INITIALLY DEFERRED, or exclude a link from the map.`,
    );
  }
  return order.map((n) => map.tables[names.indexOf(n)]!);
}
