import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository (two levels above test/harness). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
