import { comparePaths, ENVELOPE_FILES, isSafeRelativePath } from './bundle-layout';

/**
 * MANIFEST.sha256 in exactly the format `sha256sum` writes and `sha256sum -c` reads:
 * one line per file, `<64 lowercase hex><space><space><relative path>\n` (text mode), sorted
 * by path. Paths are restricted (see isSafeRelativePath) so sha256sum never escapes them and
 * every reader splits a line the same way. Hashing is the caller's (node:crypto).
 */

/** One manifest line. */
export interface ManifestEntry {
  /** SHA-256 of the file, 64 lowercase hex digits. */
  sha256: string;
  /** Relative POSIX path inside the bundle. */
  path: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const LINE = /^([0-9a-f]{64}) {2}(.+)$/;

/** A malformed entry list handed to {@link formatManifest} (a bug in the writer). */
export class ManifestFormatError extends Error {
  override name = 'ManifestFormatError';
}

/**
 * The manifest text for `entries` (any order; sorted here).
 * @throws ManifestFormatError on a bad hash, an unsafe or duplicate path, or an envelope file.
 */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  let text = '';
  let previous: string | null = null;
  for (const entry of sorted) {
    if (!HEX64.test(entry.sha256)) throw new ManifestFormatError(`bad hash for ${entry.path}`);
    if (!isSafeRelativePath(entry.path)) {
      throw new ManifestFormatError(`unsafe path ${JSON.stringify(entry.path)}`);
    }
    if (ENVELOPE_FILES.includes(entry.path)) {
      throw new ManifestFormatError(`${entry.path} signs the manifest and cannot be in it`);
    }
    if (entry.path === previous) throw new ManifestFormatError(`duplicate path ${entry.path}`);
    previous = entry.path;
    text += `${entry.sha256}  ${entry.path}\n`;
  }
  if (text === '') throw new ManifestFormatError('a manifest lists at least one file');
  return text;
}

/** A parsed manifest: the entries that could be read, and every way the text is off. */
export interface ParsedManifest {
  entries: ManifestEntry[];
  /** Empty when the text is exactly what {@link formatManifest} would write. */
  problems: string[];
}

/**
 * Reads manifest text strictly: every line well formed, paths safe, unique and sorted, final
 * newline. Never throws; malformed lines are reported and skipped.
 */
export function parseManifest(text: string): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const problems: string[] = [];
  if (text === '') return { entries, problems: ['the manifest is empty'] };
  if (!text.endsWith('\n')) problems.push('the manifest does not end with a newline');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const m = LINE.exec(line);
    const where = `line ${i + 1}`;
    if (!m) {
      problems.push(`${where} is not "<sha256>  <path>"`);
      return;
    }
    const [, sha256, path] = m as unknown as [string, string, string];
    if (!isSafeRelativePath(path)) problems.push(`${where}: unsafe path ${JSON.stringify(path)}`);
    else if (ENVELOPE_FILES.includes(path)) problems.push(`${where}: ${path} cannot be listed`);
    else if (seen.has(path)) problems.push(`${where}: ${path} is listed twice`);
    else {
      const last = entries[entries.length - 1];
      if (last && comparePaths(last.path, path) > 0) problems.push(`${where}: not sorted`);
      seen.add(path);
      entries.push({ sha256, path });
    }
  });
  if (entries.length === 0 && problems.length === 0) problems.push('the manifest lists no file');
  return { entries, problems };
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
