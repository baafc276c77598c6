import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 16 item 6: each wizard has its own store on the shared job-run module; no wizard's
// store imports another wizard's, and the stores import each other in no circle (restore.ts,
// restore-production.ts and restore-model.ts used to).

const STORES = resolve(__dirname, '../../renderer/stores');

/** Each wizard's store files, by the file name without .ts. */
const WIZARDS: Record<string, readonly string[]> = {
  install: ['agent-install', 'agent-install-model'],
  restore: ['restore', 'restore-model'],
  production: ['restore-production'],
};

/** The stores folder's files each file imports (relative './x' imports), by name. */
function storeImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(STORES).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(STORES, file), 'utf8');
    const targets = [...text.matchAll(/from '\.\/([\w-]+)'/g)].map((m) => m[1]!);
    graph.set(file.replace(/\.ts$/, ''), targets);
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('wizard stores', () => {
  const graph = storeImports();

  it('import each other in no circle', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it("never import another wizard's store", () => {
    const owner = new Map(
      Object.entries(WIZARDS).flatMap(([wizard, files]) => files.map((f) => [f, wizard])),
    );
    const crossings: string[] = [];
    for (const [file, targets] of graph) {
      const mine = owner.get(file);
      if (!mine) continue;
      for (const target of targets) {
        const theirs = owner.get(target);
        if (theirs && theirs !== mine) crossings.push(`${file} -> ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });
});
