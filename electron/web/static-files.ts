import fs from 'node:fs/promises';
import { mimeTypeOf, rendererFilePath } from './renderer-files';

/** Reads a file of the built renderer; null for anything outside `root` or missing. */
export async function readStatic(
  root: string,
  urlPath: string,
): Promise<{ body: Buffer; type: string } | null> {
  const resolved = rendererFilePath(root, urlPath);
  if (resolved === null) return null;
  try {
    const body = await fs.readFile(resolved);
    return { body, type: mimeTypeOf(resolved) };
  } catch {
    return null;
  }
}
