import type {
  Detection,
  DiskSpace,
  PgCluster,
  PgDatabase,
  SkippedCluster,
  SudoState,
} from '../../../shared/contract';
import { isSafeAbsolutePath, pgMajorOrNull, portOrNull } from '../../../shared/server-values';

/** Splits the detect script's output into its `@@name` sections. */
export function splitSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const header = /^@@([a-z]+)$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1] as string, current);
    } else if (current && line.trim() !== '') {
      current.push(line);
    }
  }
  return sections;
}

function osRelease(lines: string[]): Detection['os'] {
  const fields = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) fields.set(match[1] as string, (match[2] as string).replace(/^"(.*)"$/, '$1'));
  }
  return {
    id: fields.get('ID') ?? 'unknown',
    name: fields.get('NAME') ?? 'unknown',
    version: fields.get('VERSION_ID') ?? '',
    pretty: fields.get('PRETTY_NAME') ?? fields.get('NAME') ?? 'unknown',
  };
}

/**
 * The clusters section: one tab-separated line per cluster, or `skipped<TAB>reason<TAB>folder`
 * for a folder the script did not trust. The values are checked again here: a line whose
 * version or folder fails the check is skipped too, never shown as a cluster.
 */
function clusters(lines: string[]): { found: PgCluster[]; skipped: SkippedCluster[] } {
  const found: PgCluster[] = [];
  const skipped: SkippedCluster[] = [];
  let last: PgCluster | null = null;
  let listed: PgDatabase[] = [];
  for (const line of lines) {
    const fields = line.split('\t');
    if (fields[0] === 'db' || fields[0] === 'dbok') {
      // A cluster's databases follow its own line; anywhere else they belong to nobody.
      if (last && fields[0] === 'dbok') {
        last.databases = [...listed].sort((a, b) => b.bytes - a.bytes);
        last = null;
      } else if (last) {
        const database = databaseOf(fields);
        if (database) listed.push(database);
      }
      continue;
    }
    last = null;
    listed = [];
    if (fields[0] === 'skipped') {
      const dataDirectory = fields.slice(2).join('\t');
      skipped.push({ dataDirectory, reason: fields[1] ?? 'unknown' });
      continue;
    }
    const [version, dataDirectory, port, sums, running] = fields;
    if (!version || !dataDirectory) continue;
    if (!isSafeAbsolutePath(dataDirectory)) {
      skipped.push({ dataDirectory, reason: 'the folder name is not a plain absolute path' });
      continue;
    }
    if (pgMajorOrNull(version) === null) {
      skipped.push({
        dataDirectory,
        reason: 'PG_VERSION holds no PostgreSQL major version number',
      });
      continue;
    }
    last = {
      version,
      dataDirectory,
      port: portOrNull(port) ?? 5432,
      // pg_controldata prints the checksum version: 0 is off, anything else is on.
      dataChecksums: sums === 'unknown' || sums === undefined ? null : sums !== '0',
      running: running === 'yes',
      databases: null,
    };
    found.push(last);
  }
  return { found, skipped };
}

/**
 * `db<TAB>hex name<TAB>bytes`: the name is hex of its UTF-8 bytes (whatever it holds, it cannot
 * split the line); anything malformed, a name with control characters included, is left out.
 */
function databaseOf(fields: string[]): PgDatabase | null {
  const [, hex, size] = fields;
  if (fields.length !== 3 || !hex || !/^(?:[0-9a-f]{2}){1,64}$/.test(hex)) return null;
  if (!size || !/^\d{1,18}$/.test(size)) return null;
  const name = Buffer.from(hex, 'hex').toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\ufffd]/.test(name)) return null;
  return { name, bytes: Number(size) };
}

/** `df -P -B1` rows, one per distinct mount (df omits paths that do not exist). */
function disks(lines: string[]): DiskSpace[] {
  const seen = new Map<string, DiskSpace>();
  lines.forEach((line) => {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 6) return;
    const mount = cols[5] as string;
    if (seen.has(mount)) return;
    seen.set(mount, {
      mount,
      path: mount,
      totalBytes: Number(cols[1]),
      freeBytes: Number(cols[3]),
    });
  });
  return [...seen.values()];
}

/** Turns the detect script's output into the contract's Detection. */
export function parseDetection(output: string, now = new Date()): Detection {
  const s = splitSections(output);
  const first = (name: string) => s.get(name)?.[0]?.trim() ?? '';
  const sudo = first('sudo') as SudoState;
  const { found, skipped } = clusters(s.get('clusters') ?? []);
  return {
    os: osRelease(s.get('os') ?? []),
    kernel: first('kernel'),
    arch: first('arch'),
    cpuCount: Number(first('cpus')) || 1,
    sudo: ['root', 'passwordless', 'password-required', 'unavailable'].includes(sudo)
      ? sudo
      : 'unavailable',
    nodeVersion: first('node') || null,
    clusters: found,
    skippedClusters: skipped,
    disks: disks(s.get('disks') ?? []),
    detectedAt: now.toISOString(),
  };
}
