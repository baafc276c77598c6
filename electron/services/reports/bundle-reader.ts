import fs from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_FILES } from '../../../shared/report/bundle-layout';
import type { BundleInput, BundleProblem } from '../../../shared/report/verify';
import { looksLikeZip, readZip } from './zip-reader';

/** The files found at a path (a folder or a zip), with what could not be read. */
export interface FileTree {
  files: Map<string, Uint8Array>;
  problems: { name: string; message: string }[];
}

/** Bundles found in a tree, plus the files that belong to none of them. */
export interface BundleCollection {
  bundles: BundleInput[];
  /** Files outside every bundle (an export's summary, or strays). */
  loose: Map<string, Uint8Array>;
  /** Read problems outside every bundle. */
  problems: { name: string; message: string }[];
}

/** Reads a folder (recursively) or a zip file into a tree of regular files. */
export async function readTree(target: string): Promise<FileTree> {
  const stat = await fs.lstat(target);
  if (stat.isDirectory()) return readDirectory(target);
  if (!stat.isFile()) throw new Error(`${target} is neither a folder nor a zip file`);
  const bytes = await fs.readFile(target);
  if (!looksLikeZip(bytes.subarray(0, 4))) throw new Error(`${target} is not a zip file`);
  return readZip(bytes);
}

async function readDirectory(root: string): Promise<FileTree> {
  const files = new Map<string, Uint8Array>();
  const problems: FileTree['problems'] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(name);
      // A symlink could point anywhere (even at a file outside the bundle with the right hash).
      else if (!entry.isFile())
        problems.push({ name, message: 'not a regular file (symlink or special file)' });
      else files.set(name, new Uint8Array(await fs.readFile(path.join(root, name))));
    }
  };
  await walk('');
  return { files, problems };
}

/**
 * Splits a tree into bundles: every folder holding a MANIFEST.sha256 is a bundle root, and a
 * file belongs to the deepest root above it. Paths inside a bundle become relative to its root.
 */
export function collectBundles(tree: FileTree, location: string): BundleCollection {
  const roots = [...tree.files.keys(), ...tree.problems.map((p) => p.name)]
    .filter((name) => name === BUNDLE_FILES.manifest || name.endsWith(`/${BUNDLE_FILES.manifest}`))
    .map((name) => name.slice(0, name.length - BUNDLE_FILES.manifest.length))
    .sort((a, b) => b.length - a.length); // deepest first
  const rootOf = (name: string) => roots.find((root) => name.startsWith(root));
  const byRoot = new Map<string, { files: Map<string, Uint8Array>; readProblems: BundleProblem[] }>(
    roots.map((root) => [root, { files: new Map(), readProblems: [] }]),
  );
  const loose = new Map<string, Uint8Array>();
  const problems: BundleCollection['problems'] = [];
  for (const [name, bytes] of tree.files) {
    const root = rootOf(name);
    if (root === undefined) loose.set(name, bytes);
    else byRoot.get(root)?.files.set(name.slice(root.length), bytes);
  }
  for (const problem of tree.problems) {
    const root = rootOf(problem.name);
    if (root === undefined) problems.push(problem);
    else {
      const file = problem.name.slice(root.length);
      byRoot
        .get(root)
        ?.readProblems.push({ code: 'read-error', file, message: `${file}: ${problem.message}` });
    }
  }
  const bundles = [...byRoot]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([root, content]) => ({
      location: root ? path.join(location, root.replace(/\/$/, '')) : location,
      files: content.files,
      readProblems: content.readProblems,
    }));
  return { bundles, loose, problems };
}
