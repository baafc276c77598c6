import type { RebuildCheck } from '../../../shared/contract';
import { shq, type RemoteShell } from '../agent-install/remote-shell';
import { missingHostPackages } from './host-packages';

// The new host's pre-flight (issue 19 §2): read in one round trip, judged here. Everything the
// host prints is untrusted: only numbers and short words are taken from it, and they are only
// compared, never run.

/** Room beyond the restore's own size: WAL replayed meanwhile, the first base backup's spool. */
export const DISK_MARGIN = 1.5;
/** The new host's clock may be this far off before a rebuild is refused (recovery by time). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** What the pre-flight asks about. */
export interface PreflightInput {
  pgMajor: string;
  dataDirectory: string;
  port: number;
  /** Bytes the restored cluster needs (the base backup's size; null: unknown). */
  restoreBytes: number | null;
  /** The app's root on the host: sudo / root as detected when it was connected. */
  hasRoot: boolean;
}

/** The script: `key=value` lines. */
export function preflightScript(input: PreflightInput): string {
  const major = shq(input.pgMajor);
  const portHex = input.port.toString(16).toUpperCase().padStart(4, '0');
  return [
    'set +e',
    'os=unknown',
    'if [ -r /etc/os-release ]; then os=$(. /etc/os-release && echo "${ID:-?} ${VERSION_ID:-?}"); fi',
    'echo "os=$os"',
    // The nearest existing folder above the data directory: df tells its free space.
    `d=${shq(input.dataDirectory)}`,
    '[ -e "$d" ] && echo "dataExists=yes"',
    'while [ ! -d "$d" ] && [ "$d" != / ]; do d=$(dirname "$d"); done',
    'echo "freeKb=$(df -Pk "$d" 2>/dev/null | awk \'NR==2{print $4}\')"',
    // A port in LISTEN (state 0A) in /proc/net/tcp{,6}: no ss/netstat needed.
    `awk 'NR>1 && $4=="0A"{split($2,a,":"); if (a[2]=="${portHex}") f=1} END{print "portBusy=" (f?"yes":"no")}' /proc/net/tcp /proc/net/tcp6 2>/dev/null`,
    // apt is asked only about what is missing: each `apt-cache policy` reads the package lists
    // (~0.7 s), and the pre-flight runs again at the start of the rebuild, inside its RTO.
    'candidate() { command -v apt-cache >/dev/null 2>&1 && apt-cache policy "$2" 2>/dev/null | awk -v k="$1" \'/Candidate:/{print k "=" $2}\'; }',
    // Package index files apt has (0: never updated, as in many cloud images: every candidate
    // reads "(none)" until `apt-get update`).
    `if command -v apt-get >/dev/null 2>&1; then echo "aptLists=$(ls /var/lib/apt/lists 2>/dev/null | grep -c _Packages)"; fi`,
    `if [ -x /usr/lib/postgresql/${major}/bin/postgres ]; then echo "pgBinaries=yes"; else candidate pgCandidate postgresql-${major}; fi`,
    `if command -v pgbackrest >/dev/null 2>&1; then echo "pgbackrest=yes"; else candidate pgbackrestCandidate pgbackrest; fi`,
    `if command -v restic >/dev/null 2>&1; then echo "restic=yes"; else candidate resticCandidate restic; fi`,
    'echo "clock=$(date +%s)"',
  ].join('\n');
}

/** Runs the pre-flight on the host and judges it; `packages`: what the rebuild installs there. */
export async function runRebuildPreflight(
  shell: RemoteShell,
  input: PreflightInput,
  signal?: AbortSignal,
): Promise<{ checks: RebuildCheck[]; packages: string[] }> {
  const askedAt = Date.now();
  const out = await shell.run('rebuild pre-flight', preflightScript(input), {
    signal,
    allowFailure: true,
  });
  const answeredAt = Date.now();
  const facts = new Map<string, string>();
  for (const line of out.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0)
      facts.set(
        line.slice(0, eq),
        line
          .slice(eq + 1)
          .trim()
          .slice(0, 200),
      );
  }
  return {
    checks: judgePreflight(input, facts, (askedAt + answeredAt) / 2000),
    packages: missingHostPackages(input.pgMajor, facts),
  };
}

const installable = (candidate: string | undefined): boolean =>
  !!candidate && candidate !== '(none)' && /^[\w.:~+-]+$/.test(candidate);

/** The checks from the host's facts; `nowSeconds`: this computer's clock when it answered. */
export function judgePreflight(
  input: PreflightInput,
  facts: Map<string, string>,
  nowSeconds: number,
): RebuildCheck[] {
  const checks: RebuildCheck[] = [];
  checks.push({
    name: 'root',
    ok: input.hasRoot,
    detail: input.hasRoot
      ? 'root through SSH (or passwordless sudo)'
      : 'the SSH user is not root and has no passwordless sudo: log in as root or allow sudo, then connect again',
  });
  const os = (facts.get('os') ?? 'unknown').replace(/[^\w. -]/g, '');
  const supported = /^(debian|ubuntu|rhel|rocky|almalinux|centos|fedora) /.test(os);
  checks.push({
    name: 'os',
    ok: supported,
    detail: supported
      ? os
      : `"${os}" is not a Linux the agent supports (Debian, Ubuntu, RHEL and its rebuilds)`,
  });
  const dataExists = facts.get('dataExists') === 'yes';
  checks.push({
    name: 'data-directory',
    ok: !dataExists,
    detail: dataExists
      ? `${input.dataDirectory} already exists: the rebuild never overwrites a data directory; name a new one`
      : `${input.dataDirectory} is free`,
  });
  const freeBytes = Number(facts.get('freeKb')) * 1024;
  const needed = (input.restoreBytes ?? 0) * DISK_MARGIN;
  const diskOk = Number.isFinite(freeBytes) && freeBytes >= needed;
  checks.push({
    name: 'disk',
    ok: diskOk,
    detail: Number.isFinite(freeBytes)
      ? `${gb(freeBytes)} free, ${gb(needed)} needed (the backup's ${gb(input.restoreBytes ?? 0)} and ${Math.round((DISK_MARGIN - 1) * 100)} % margin)`
      : 'the free space could not be read (df)',
  });
  const portBusy = facts.get('portBusy') !== 'no';
  checks.push({
    name: 'port',
    ok: !portBusy,
    detail: portBusy
      ? `port ${input.port} is in use (or could not be checked): choose another`
      : `port ${input.port} is free`,
  });
  // apt never updated its package lists: nothing has a candidate yet; the install updates them
  // first (host-packages.ts) and says so if a package is still not there.
  const listsEmpty = facts.get('aptLists') === '0';
  const updateNote = " after apt-get update (the host's package lists are empty)";
  const pgThere = facts.get('pgBinaries') === 'yes';
  const pgInstallable = installable(facts.get('pgCandidate'));
  checks.push({
    name: 'postgres',
    ok: pgThere || pgInstallable || listsEmpty,
    detail: pgThere
      ? `PostgreSQL ${input.pgMajor} is installed`
      : pgInstallable
        ? `PostgreSQL ${input.pgMajor} will be installed (package postgresql-${input.pgMajor})`
        : listsEmpty
          ? `PostgreSQL ${input.pgMajor} will be installed${updateNote}`
          : `PostgreSQL ${input.pgMajor} is neither installed nor installable: add the PGDG repository (apt.postgresql.org) and check again`,
  });
  // The restore needs pgBackRest (the database) and restic (the attached files) on the host.
  const tools = (['pgbackrest', 'restic'] as const).map((name) => ({
    name,
    there: facts.get(name) === 'yes',
    installable: installable(facts.get(`${name}Candidate`)) || listsEmpty,
  }));
  const lacking = tools.filter((x) => !x.there && !x.installable).map((x) => x.name);
  const toInstall = tools.filter((x) => !x.there && x.installable).map((x) => x.name);
  checks.push({
    name: 'pgbackrest',
    ok: lacking.length === 0,
    detail:
      lacking.length > 0
        ? `${lacking.join(' and ')} neither installed nor installable: enable the distribution or PGDG repository and check again`
        : toInstall.length > 0
          ? `${toInstall.join(' and ')} will be installed${listsEmpty ? updateNote : ''}`
          : 'pgBackRest and restic are installed',
  });
  const clock = Number(facts.get('clock'));
  const skew = Number.isFinite(clock) ? Math.round(clock - nowSeconds) : null;
  const clockOk = skew !== null && Math.abs(skew) <= CLOCK_TOLERANCE_SECONDS;
  checks.push({
    name: 'clock',
    ok: clockOk,
    detail:
      skew === null
        ? 'the clock could not be read'
        : clockOk
          ? `in step with this computer (${skew} s)`
          : `${skew} s off this computer's clock: set up time synchronisation (chrony, systemd-timesyncd) and check again`,
  });
  return checks;
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes < 1e9 ? 2 : 1)} GB`;
}
