import dagre from '@dagrejs/dagre';
import type { MapLink, MappedTable, SubjectMap } from '../../../shared/gdpr/subject-map-schema';
import { tableKey } from './map-edits';

// The subject map as a graph (issue 17 §1): every mapped table a node, every link between two
// mapped tables an edge from the referenced (parent) table to the referring (child) one, laid
// out top-down from the root by dagre. Sizes are computed here, not measured in the page: node
// and label text is set in a monospace font of known advance (see gdpr.css), so the layout is
// the same in a test and in the window and needs no second render.

/** Advance of one character of the graph's 12 px monospace text (DejaVu Sans Mono: 7.22 px). */
export const CHAR_PX = 7.3;
/** Height of one line of node or label text (gdpr.css sets the same line-height). */
export const LINE_PX = 18;
export const NODE_WIDTH = 260;
export const NODE_PAD = 10;
/** Borders of a node box and of an edge label (gdpr.css): inside the sizes given here. */
const NODE_BORDER = 2;
const LABEL_BORDER = 1;
/** Column names that fit one line of a node. */
export const COLUMNS_PER_LINE = Math.floor((NODE_WIDTH - 2 * (NODE_PAD + NODE_BORDER)) / CHAR_PX);
/** More columns than fit this many lines are counted, not listed (the dialog lists them all). */
export const MAX_COLUMN_LINES = 3;
const LABEL_PAD = 6;
/** An edge label longer than this breaks after the arrow. */
const LABEL_ONE_LINE = 36;
/** A self-reference's label: its distance from the table, and from the next one below. */
const LOOP_GAP = 28;
const LOOP_STACK = 8;
/** Half the distance between a loop's two lines. */
const LOOP_SPREAD = 6;

/** followed: rows are collected through it; otherwise why not. */
export type EdgeState = 'followed' | 'excluded' | 'self-reference';

export interface Wrapped {
  lines: string[];
  /** Columns not listed for lack of room. */
  more: number;
}

export interface GraphNode {
  /** `schema.table` */
  key: string;
  table: MappedTable;
  /** The root's key column, or null for a reached table. */
  rootColumn: string | null;
  personal: Wrapped;
  files: Wrapped;
  /** Centre and size, in px. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  link: MapLink;
  /** Parent (referenced) and child (referring) table keys. */
  from: string;
  to: string;
  state: EdgeState;
  added: boolean;
  /** The label's visible lines: the joined columns, and a word for a link not plainly followed. */
  lines: string[];
  /** The path from the parent to the child, in px. */
  points: { x: number; y: number }[];
  /** The label's centre and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MapGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

/** Words the graph shows that depend on the language; sizes follow from them. */
export interface GraphWords {
  edgeState(state: EdgeState, added: boolean): string | null;
}

/** Column names as comma-separated lines of at most `perLine` characters, at most `maxLines`. */
export function wrapColumns(
  columns: readonly string[],
  perLine = COLUMNS_PER_LINE,
  maxLines = MAX_COLUMN_LINES,
): Wrapped {
  const lines: string[] = [];
  let i = 0;
  for (; i < columns.length; i++) {
    const name = columns[i]!;
    const last = lines.length - 1;
    const joined = last >= 0 ? `${lines[last]}, ${name}` : name;
    if (last >= 0 && joined.length <= perLine) lines[last] = joined;
    else if (lines.length < maxLines) lines.push(name);
    else break;
  }
  return { lines, more: columns.length - i };
}

export function edgeState(link: MapLink): EdgeState {
  if (link.followed) return 'followed';
  return link.why === 'self-reference' ? 'self-reference' : 'excluded';
}

/** `child.cols →` and `parent.cols`, on one line when short. */
export function edgeLines(link: MapLink): string[] {
  const child = `${link.childTable}.${link.childColumns.join(', ')} →`;
  const parent = `${link.parentTable}.${link.parentColumns.join(', ')}`;
  const one = `${child} ${parent}`;
  return one.length <= LABEL_ONE_LINE ? [one] : [child, parent];
}

/** Lines a node shows: name, root, action, the two column headings and their lists. */
export function nodeLineCount(node: Pick<GraphNode, 'rootColumn' | 'personal' | 'files'>): number {
  const list = (w: Wrapped) => Math.max(1, w.lines.length) + (w.more > 0 ? 1 : 0);
  return 1 + (node.rootColumn ? 1 : 0) + 1 + 1 + list(node.personal) + 1 + list(node.files);
}

/** The nodes and edges of `map`, laid out; edges in the map's link order, nodes in its table order. */
export function layoutMapGraph(map: SubjectMap, words: GraphWords): MapGraph {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 48, edgesep: 24, ranksep: 64, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));

  const rootKey = tableKey(map.root);
  const nodes: GraphNode[] = map.tables.map((table) => {
    const key = tableKey(table);
    const node = {
      key,
      table,
      rootColumn: key === rootKey ? map.root.column : null,
      personal: wrapColumns(table.personalColumns),
      files: wrapColumns(table.fileColumns),
    };
    return {
      ...node,
      x: 0,
      y: 0,
      width: NODE_WIDTH,
      height: 2 * (NODE_PAD + NODE_BORDER) + LINE_PX * nodeLineCount(node),
    };
  });
  const edges: GraphEdge[] = map.links.map((link) => {
    const state = edgeState(link);
    const added = link.source === 'added';
    const word = words.edgeState(state, added);
    const lines = [...edgeLines(link), ...(word ? [word] : [])];
    const longest = Math.max(...lines.map((l) => l.length));
    return {
      link,
      from: tableKey({ schema: link.parentSchema, table: link.parentTable }),
      to: tableKey({ schema: link.childSchema, table: link.childTable }),
      state,
      added,
      lines,
      points: [],
      x: 0,
      y: 0,
      width: Math.ceil(longest * CHAR_PX) + 2 * (LABEL_PAD + LABEL_BORDER),
      height: lines.length * LINE_PX + LABEL_PAD + 2 * LABEL_BORDER,
    };
  });
  // Self-references are drawn by hand to the right of their table (dagre's own self-edge
  // routing misplaced labelled loops): the table's layout box is widened to hold their labels.
  const loops = (key: string) => edges.filter((e) => e.from === key && e.to === key);
  const reserved = (key: string) => {
    const own = loops(key);
    if (own.length === 0) return { width: 0, height: 0 };
    return {
      width: LOOP_GAP + Math.max(...own.map((e) => e.width)),
      height: own.reduce((sum, e) => sum + e.height, 0) + (own.length - 1) * LOOP_STACK,
    };
  };
  for (const n of nodes) {
    const extra = reserved(n.key);
    g.setNode(n.key, { width: n.width + extra.width, height: Math.max(n.height, extra.height) });
  }
  for (const e of edges) {
    if (e.from === e.to) continue;
    g.setEdge(
      e.from,
      e.to,
      { width: e.width, height: e.height, labelpos: 'c', minlen: 1 },
      e.link.id,
    );
  }

  dagre.layout(g);

  for (const n of nodes) {
    const laid = g.node(n.key) as { x: number; y: number; width: number };
    // The box sits at the left of its layout box; loops use the rest.
    n.x = laid.x - laid.width / 2 + n.width / 2;
    n.y = laid.y;
    let top = n.y - n.height / 2;
    for (const e of loops(n.key)) {
      const right = n.x + n.width / 2;
      e.x = right + LOOP_GAP + e.width / 2;
      e.y = top + e.height / 2;
      // Out of the box to the label's left edge and back in, the arrow at the box.
      e.points = [
        { x: right, y: e.y + LOOP_SPREAD },
        { x: right + LOOP_GAP, y: e.y + LOOP_SPREAD },
        { x: right + LOOP_GAP, y: e.y - LOOP_SPREAD },
        { x: right, y: e.y - LOOP_SPREAD },
      ];
      top += e.height + LOOP_STACK;
    }
  }
  for (const e of edges) {
    if (e.from === e.to) continue;
    const laid = g.edge({ v: e.from, w: e.to, name: e.link.id }) as {
      x: number;
      y: number;
      points: { x: number; y: number }[];
    };
    e.x = laid.x;
    e.y = laid.y;
    const points = laid.points.map((p) => ({ x: p.x, y: p.y }));
    // dagre ends the path on the layout box, which is wider than a table with loops: end it on
    // the table's own box.
    const from = nodes.find((n) => n.key === e.from)!;
    const to = nodes.find((n) => n.key === e.to)!;
    if (points.length >= 2) {
      points[0] = boxBorder(from, points[1]!);
      points[points.length - 1] = boxBorder(to, points[points.length - 2]!);
    }
    e.points = points;
  }
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0) };
}

/** Where the line from the centre of `box` towards `toward` leaves the box. */
export function boxBorder(
  box: { x: number; y: number; width: number; height: number },
  toward: { x: number; y: number },
): { x: number; y: number } {
  const dx = toward.x - box.x;
  const dy = toward.y - box.y;
  const w = box.width / 2;
  const h = box.height / 2;
  if (dx === 0 && dy === 0) return { x: box.x, y: box.y + h };
  // Scale the direction until it meets the nearer side: top/bottom or left/right.
  const scale = Math.abs(dy) * w > Math.abs(dx) * h ? h / Math.abs(dy) : w / Math.abs(dx);
  return { x: box.x + dx * scale, y: box.y + dy * scale };
}

/** An SVG path through `points` (straight segments; dagre routes around the nodes). */
export function pathOf(points: readonly { x: number; y: number }[]): string {
  return points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`)
    .join(' ');
}
