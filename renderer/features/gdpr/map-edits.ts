import type { GdprMapResult } from '../../../shared/contract/gdpr';
import type { MapEdits, MapLink } from '../../../shared/gdpr/subject-map-schema';

// The DPO's edits of a subject map (issue 17 §1) as plain functions, shared by the list editor
// (MapEditor) and the graph (MapGraph): both views change a map the same way and hand the same
// MapEdits to the page, which builds the changed map on the live schema (gdpr.map with edits).

export type AddedLink = NonNullable<MapEdits['added']>[number];
export type TableEdit = NonNullable<MapEdits['tables']>[string];

export interface EditState {
  excluded: ReadonlySet<string>;
  included: ReadonlySet<string>;
  added: readonly AddedLink[];
  /** Per `schema.table` of the map shown: action and personal columns. */
  tables: Readonly<Record<string, TableEdit>>;
}

export const tableKey = (t: { schema: string; table: string }) => `${t.schema}.${t.table}`;

/** A followed link as the DPO reads it: `orders.customer_id → customer.customer_id`. */
export const linkText = (
  l: Pick<MapLink, 'childTable' | 'childColumns' | 'parentTable' | 'parentColumns'>,
) =>
  `${l.childTable}.${l.childColumns.join(', ')} → ${l.parentTable}.${l.parentColumns.join(', ')}`;

/** The edits a map was built with, and each shown table's action and columns. */
export function editStateOf(result: GdprMapResult): EditState {
  return {
    excluded: new Set(result.edits.excluded ?? []),
    included: new Set(result.edits.included ?? []),
    added: result.edits.added ?? [],
    tables: Object.fromEntries(
      result.map.tables.map((x) => [
        tableKey(x),
        { action: x.action, personalColumns: x.personalColumns, fileColumns: x.fileColumns },
      ]),
    ),
  };
}

/** Whether the edits follow `link` (a self-reference only when included). */
export function isFollowed(state: EditState, link: MapLink): boolean {
  return (
    !state.excluded.has(link.id) && (link.why !== 'self-reference' || state.included.has(link.id))
  );
}

/** Follows `link` (on) or excludes it (off). */
export function followLink(state: EditState, link: MapLink, on: boolean): EditState {
  const excluded = new Set(state.excluded);
  const included = new Set(state.included);
  if (on) {
    excluded.delete(link.id);
    if (link.why === 'self-reference') included.add(link.id);
  } else {
    included.delete(link.id);
    if (link.why !== 'self-reference') excluded.add(link.id);
  }
  return { ...state, excluded, included };
}

/** Follows again an excluded link the map no longer shows (its table fell out with it). */
export function followHidden(state: EditState, id: string): EditState {
  return { ...state, excluded: new Set([...state.excluded].filter((x) => x !== id)) };
}

/** Excluded link ids the map does not show: the tables they led to fell out of the map. */
export function hiddenExcluded(state: EditState, result: GdprMapResult): string[] {
  const shown = result.map.links.filter((l) => l.source === 'foreign-key');
  return [...state.excluded].filter((id) => !shown.some((l) => l.id === id));
}

/** `schema.table.column` (or `table.column`, schema public) as a link end; null if not. */
export function linkEnd(text: string): { schema: string; table: string; column: string } | null {
  const parts = text.trim().split('.');
  if (parts.length === 2 && parts.every(Boolean))
    return { schema: 'public', table: parts[0]!, column: parts[1]! };
  if (parts.length === 3 && parts.every(Boolean))
    return { schema: parts[0]!, table: parts[1]!, column: parts[2]! };
  return null;
}

/** Adds a link the schema does not declare, from `child` to `parent` (`table.column`); null if unreadable. */
export function addLink(state: EditState, child: string, parent: string): EditState | null {
  const c = linkEnd(child);
  const p = linkEnd(parent);
  if (!c || !p) return null;
  const link: AddedLink = {
    childSchema: c.schema,
    childTable: c.table,
    childColumns: [c.column],
    parentSchema: p.schema,
    parentTable: p.table,
    parentColumns: [p.column],
  };
  return { ...state, added: [...state.added, link] };
}

/** Removes the added link at `index` (the map's link `added:<index + 1>`). */
export function removeAdded(state: EditState, index: number): EditState {
  return { ...state, added: state.added.filter((_, i) => i !== index) };
}

/** The index in the edits of an added link of the map (`added:<n>`), or null. */
export function addedIndex(link: MapLink): number | null {
  const n = /^added:(\d+)$/.exec(link.id)?.[1];
  return link.source === 'added' && n ? Number(n) - 1 : null;
}

/** Changes the action or personal columns of the table `name` (`schema.table`). */
export function setTableEdit(state: EditState, name: string, change: TableEdit): EditState {
  return { ...state, tables: { ...state.tables, [name]: { ...state.tables[name], ...change } } };
}

/** Columns typed as a comma-separated list. */
export const columnList = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

/** The edits to build the changed map with (gdpr.map's `edits`). */
export function toMapEdits(state: EditState, result: GdprMapResult): MapEdits {
  return {
    excluded: [...state.excluded],
    included: [...state.included],
    added: [...state.added],
    // Tables that fell out of the map keep their settings for when they come back.
    tables: { ...(result.edits.tables ?? {}), ...state.tables },
  };
}
