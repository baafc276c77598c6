import { describe, expect, it } from 'vitest';
import type { GdprMapResult } from '../../shared/contract/gdpr';
import type { MapEdits } from '../../shared/gdpr/subject-map-schema';
import { buildSubjectMap } from '../../node/gdpr/subject-map';
import type { SchemaForeignKey, SchemaGraph } from '../../node/gdpr/schema-graph';
import {
  addLink,
  addedIndex,
  editStateOf,
  followHidden,
  followLink,
  hiddenExcluded,
  isFollowed,
  removeAdded,
  setTableEdit,
  toMapEdits,
} from '../../renderer/features/gdpr/map-edits';
import {
  COLUMNS_PER_LINE,
  layoutMapGraph,
  wrapColumns,
  type GraphEdge,
  type MapGraph,
} from '../../renderer/features/gdpr/map-graph-model';

// The subject map's graph (issue 17 §1): nodes and edges from a map the real builder made, laid
// out without overlaps, and the graph's edits (the same functions as the list editor's) giving
// the MapEdits that rebuild the map as the DPO meant. The page's rendering: renderer-map-graph.

const col = (name: string, type = 'integer') => ({ name, type });
function fk(
  name: string,
  child: string,
  childColumns: string[],
  parent: string,
  parentColumns: string[],
): SchemaForeignKey {
  return {
    name,
    childSchema: 'public',
    childTable: child,
    childColumns,
    parentSchema: 'public',
    parentTable: parent,
    parentColumns,
    onDelete: 'a',
    deferred: false,
  };
}

// Several paths between two tables, a composite key, a self-reference, a cycle (invoice ↔
// invoice_line), a table without a declared key to the person (ticket), long column lists.
const schema: SchemaGraph = {
  tables: [
    {
      schema: 'public',
      table: 'customer',
      columns: [
        col('customer_id'),
        col('first_name', 'text'),
        col('last_name', 'text'),
        col('email', 'text'),
        col('phone', 'text'),
        col('address', 'text'),
        col('city', 'text'),
        col('postal_code', 'text'),
        col('country', 'text'),
        col('company', 'text'),
        col('fax', 'text'),
        col('referred_by'),
      ],
      primaryKey: ['customer_id'],
    },
    {
      schema: 'public',
      table: 'invoice',
      columns: [col('invoice_id'), col('customer_id'), col('payer_id'), col('last_line', 'text')],
      primaryKey: ['invoice_id'],
    },
    {
      schema: 'public',
      table: 'invoice_line',
      columns: [col('invoice_id'), col('line_no'), col('scan_path', 'text')],
      primaryKey: ['invoice_id', 'line_no'],
    },
    {
      schema: 'public',
      table: 'line_note',
      columns: [col('invoice_id'), col('line_no'), col('note', 'text')],
      primaryKey: [],
    },
    {
      schema: 'public',
      table: 'ticket',
      columns: [col('ticket_id'), col('customer_ref'), col('attachment_file', 'text')],
      primaryKey: ['ticket_id'],
    },
  ],
  foreignKeys: [
    fk('invoice_customer_fk', 'invoice', ['customer_id'], 'customer', ['customer_id']),
    fk('invoice_payer_fk', 'invoice', ['payer_id'], 'customer', ['customer_id']),
    fk('customer_referred_fk', 'customer', ['referred_by'], 'customer', ['customer_id']),
    fk('invoice_line_invoice_fk', 'invoice_line', ['invoice_id'], 'invoice', ['invoice_id']),
    fk('line_note_line_fk', 'line_note', ['invoice_id', 'line_no'], 'invoice_line', [
      'invoice_id',
      'line_no',
    ]),
  ],
};
const ROOT = { schema: 'public', table: 'customer', column: 'customer_id' };

function mapResult(edits: MapEdits = {}): GdprMapResult {
  return { map: buildSubjectMap(schema, 'shop', ROOT, edits), edits, version: null, drift: [] };
}

const WORDS = {
  edgeState: (state: string, added: boolean) =>
    added ? 'added' : state === 'followed' ? null : state,
};

const edge = (graph: MapGraph, id: string): GraphEdge => {
  const found = graph.edges.find((e) => e.link.id === id);
  if (!found) throw new Error(`no edge ${id}`);
  return found;
};

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
const onBorder = (p: { x: number; y: number }, b: Box) => {
  const dx = Math.abs(p.x - b.x) - b.width / 2;
  const dy = Math.abs(p.y - b.y) - b.height / 2;
  return (Math.abs(dx) < 0.01 && dy <= 0.01) || (Math.abs(dy) < 0.01 && dx <= 0.01);
};

describe('the subject map as a graph', () => {
  const result = mapResult({
    added: [
      {
        childSchema: 'public',
        childTable: 'ticket',
        childColumns: ['customer_ref'],
        parentSchema: 'public',
        parentTable: 'customer',
        parentColumns: ['customer_id'],
      },
    ],
    excluded: ['public.invoice.invoice_payer_fk'],
  });
  const graph = layoutMapGraph(result.map, WORDS);

  it('has every mapped table as a node, the root first, with its action and columns', () => {
    expect(graph.nodes.map((n) => n.key)).toEqual(
      result.map.tables.map((t) => `public.${t.table}`),
    );
    expect(graph.nodes.map((n) => n.key)).toEqual([
      'public.customer',
      'public.invoice',
      'public.ticket',
      'public.invoice_line',
      'public.line_note',
    ]);
    const [customer, , ticket, line] = graph.nodes;
    expect(customer!.rootColumn).toBe('customer_id');
    expect(line!.rootColumn).toBeNull();
    expect(customer!.table.action).toBe('delete');
    // Ten personal columns: as many as fit three lines are listed in order, the rest counted.
    const listed = customer!.personal.lines.join(', ').split(', ');
    expect(customer!.table.personalColumns).toHaveLength(10);
    expect(listed).toEqual(customer!.table.personalColumns.slice(0, listed.length));
    expect(customer!.personal.lines).toHaveLength(3);
    expect(listed.length + customer!.personal.more).toBe(10);
    expect(customer!.personal.more).toBeGreaterThan(0);
    for (const l of customer!.personal.lines)
      expect(l.length).toBeLessThanOrEqual(COLUMNS_PER_LINE);
    expect(line!.files.lines).toEqual(['scan_path']);
    expect(ticket!.files.lines).toEqual(['attachment_file']);
    // A table with more lines than a node shows is taller than one with fewer.
    expect(customer!.height).toBeGreaterThan(line!.height);
  });

  it('has every link as an edge from the referenced table to the referring one, with its columns and state', () => {
    expect(graph.edges.map((e) => e.link.id)).toEqual(result.map.links.map((l) => l.id));
    const byCustomer = edge(graph, 'public.invoice.invoice_customer_fk');
    expect([byCustomer.from, byCustomer.to, byCustomer.state]).toEqual([
      'public.customer',
      'public.invoice',
      'followed',
    ]);
    expect(byCustomer.lines).toEqual(['invoice.customer_id →', 'customer.customer_id']);
    expect(edge(graph, 'public.invoice_line.invoice_line_invoice_fk').lines).toEqual([
      'invoice_line.invoice_id →',
      'invoice.invoice_id',
    ]);
    expect(edge(graph, 'public.invoice.invoice_payer_fk').state).toBe('excluded');
    expect(edge(graph, 'public.invoice.invoice_payer_fk').lines.at(-1)).toBe('excluded');
    const self = edge(graph, 'public.customer.customer_referred_fk');
    expect([self.from, self.to, self.state]).toEqual([
      'public.customer',
      'public.customer',
      'self-reference',
    ]);
    const composite = edge(graph, 'public.line_note.line_note_line_fk');
    expect(composite.lines.join(' ')).toBe(
      'line_note.invoice_id, line_no → invoice_line.invoice_id, line_no',
    );
    const added = edge(graph, 'added:1');
    expect([added.added, added.from, added.to, added.lines.at(-1)]).toEqual([
      true,
      'public.customer',
      'public.ticket',
      'added',
    ]);
  });

  it('lays the graph out without overlaps, each path ending on its two tables', () => {
    const boxes: Box[] = [...graph.nodes, ...graph.edges];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
    for (const box of boxes) {
      expect(box.x - box.width / 2).toBeGreaterThanOrEqual(0);
      expect(box.y - box.height / 2).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width / 2).toBeLessThanOrEqual(graph.width);
      expect(box.y + box.height / 2).toBeLessThanOrEqual(graph.height);
    }
    const node = (key: string) => graph.nodes.find((n) => n.key === key)!;
    for (const e of graph.edges) {
      expect(onBorder(e.points[0]!, node(e.from))).toBe(true);
      expect(onBorder(e.points.at(-1)!, node(e.to))).toBe(true);
    }
    // The root above what it reaches; the self-reference's label right of its table.
    expect(node('public.customer').y).toBeLessThan(node('public.invoice').y);
    expect(node('public.invoice').y).toBeLessThan(node('public.invoice_line').y);
    const self = edge(graph, 'public.customer.customer_referred_fk');
    expect(self.x - self.width / 2).toBeGreaterThan(node('public.customer').x);
  });

  it('wraps columns to lines and counts what does not fit', () => {
    expect(wrapColumns(['a', 'b', 'c'], 4, 3)).toEqual({ lines: ['a, b', 'c'], more: 0 });
    expect(wrapColumns(['aaaa', 'bbbb', 'cccc', 'dddd'], 4, 2)).toEqual({
      lines: ['aaaa', 'bbbb'],
      more: 2,
    });
    expect(wrapColumns([], 4, 2)).toEqual({ lines: [], more: 0 });
  });
});

describe("the graph's edits rebuild the map as meant", () => {
  const base = mapResult();

  it('excluding a path drops the tables only it reached; following it again brings them back', () => {
    const link = base.map.links.find(
      (l) => l.id === 'public.invoice_line.invoice_line_invoice_fk',
    )!;
    const state = followLink(editStateOf(base), link, false);
    const edits = toMapEdits(state, base);
    expect(edits.excluded).toEqual(['public.invoice_line.invoice_line_invoice_fk']);
    const changed = mapResult(edits);
    expect(changed.map.tables.map((t) => t.table)).toEqual(['customer', 'invoice']);
    // The graph no longer draws it; it is offered back beside the graph (and in the list).
    expect(layoutMapGraph(changed.map, WORDS).edges.map((e) => e.link.id)).not.toContain(link.id);
    const again = editStateOf(changed);
    expect(hiddenExcluded(again, changed)).toEqual([link.id]);
    const back = mapResult(toMapEdits(followHidden(again, link.id), changed));
    expect(back.map.tables.map((t) => t.table)).toEqual(base.map.tables.map((t) => t.table));
  });

  it('following a self-reference includes it; excluding it again leaves it unfollowed', () => {
    const self = base.map.links.find((l) => l.why === 'self-reference')!;
    const state = editStateOf(base);
    expect(isFollowed(state, self)).toBe(false);
    const on = mapResult(toMapEdits(followLink(state, self, true), base));
    expect(on.edits.included).toEqual([self.id]);
    expect(on.map.links.find((l) => l.id === self.id)!.followed).toBe(true);
    const onLink = on.map.links.find((l) => l.id === self.id)!;
    const off = mapResult(toMapEdits(followLink(editStateOf(on), onLink, false), on));
    expect(off.map.links.find((l) => l.id === self.id)!.followed).toBe(false);
  });

  it('adds a link the schema does not declare, and removes it by its edge', () => {
    expect(addLink(editStateOf(base), 'ticket', 'customer.customer_id')).toBeNull();
    const state = addLink(editStateOf(base), 'ticket.customer_ref', 'public.customer.customer_id')!;
    const added = mapResult(toMapEdits(state, base));
    expect(added.map.tables.map((t) => t.table)).toContain('ticket');
    const link = added.map.links.find((l) => l.source === 'added')!;
    expect(addedIndex(link)).toBe(0);
    expect(addedIndex(added.map.links[0]!)).toBeNull();
    const removed = mapResult(toMapEdits(removeAdded(editStateOf(added), 0), added));
    expect(removed.map.tables.map((t) => t.table)).not.toContain('ticket');
    expect(removed.edits.added).toEqual([]);
  });

  it("changes a table's action and personal columns, and keeps other tables' settings", () => {
    const state = setTableEdit(editStateOf(base), 'public.invoice', {
      action: 'anonymise',
      personalColumns: ['last_line'],
    });
    const edits = toMapEdits(state, base);
    expect(edits.tables!['public.invoice']).toEqual({
      action: 'anonymise',
      personalColumns: ['last_line'],
      fileColumns: [],
    });
    const changed = mapResult(edits);
    const invoice = changed.map.tables.find((t) => t.table === 'invoice')!;
    expect([invoice.action, invoice.personalColumns]).toEqual(['anonymise', ['last_line']]);
    expect(changed.map.tables.find((t) => t.table === 'customer')!.action).toBe('delete');
  });
});
