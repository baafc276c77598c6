import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or unpacked app) root: the folder with package.json above this file. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the app root (no package.json above the CLI).');
    dir = parent;
  }
  return dir;
}

export function rendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}
