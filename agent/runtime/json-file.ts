import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * Reads a JSON file and validates it. A missing file gives `fallback`; a corrupt one too
 * (state files are caches of facts the agent can re-learn, and a half-written file after a
 * power cut must not stop backups).
 */
export function readJsonFile<S extends z.ZodTypeAny>(
  file: string,
  schema: S,
  fallback: z.output<S>,
): z.output<S> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as z.output<S>) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Writes JSON atomically (temp file + rename in the same folder), mode 0600: a reader never
 * sees half a file, and state may name backup labels the admin considers internal.
 */
export function writeJsonFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}
