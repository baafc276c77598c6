import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository (two levels above test/harness). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared folder with design notes and data sets. It always sits beside the repository
 * (CI clones the repo into another folder with a copy of shared/ next to it).
 */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
