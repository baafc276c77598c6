/**
 * Values read on a customer's server (PG_VERSION, postmaster.pid, /proc, stat) are written by
 * whoever owns the file, often the postgres OS user or any local user: they are checked here
 * before anything uses them, and PostgreSQL binaries come only from the packages' fixed folders
 * (DESIGN.md §6, issue 15). The TypeScript checks and the shell functions below say the same.
 */

/** A PostgreSQL major version as PG_VERSION holds it since PostgreSQL 10: digits only. */
const PG_MAJOR = /^[0-9]{1,3}$/;

/** The major version in PG_VERSION's text, or null when it is anything else. */
export function pgMajorOrNull(raw: string | null | undefined): string | null {
  const value = (raw ?? '').trim();
  return PG_MAJOR.test(value) ? value : null;
}

/**
 * The folders the PostgreSQL packages install a major version's binaries into, in the order
 * they are tried: Debian/Ubuntu (`postgresql-<major>`), then RHEL/PGDG (`postgresql<major>-server`).
 * @throws Error when `major` is not a validated major version.
 */
export function packageBinDirectories(major: string): string[] {
  if (!PG_MAJOR.test(major)) throw new Error(`not a PostgreSQL major version: ${major}`);
  return [`/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`];
}

/** True for a process id as postmaster.pid or /proc name it: digits, not 0. */
export function isPid(value: string): boolean {
  return /^[1-9][0-9]{0,9}$/.test(value);
}

/** The TCP port in `value`, or null unless it is 1..65535 written in digits only. */
export function portOrNull(value: string | null | undefined): number | null {
  if (!/^[0-9]{1,5}$/.test(value ?? '')) return null;
  const port = Number(value);
  return port >= 1 && port <= 65_535 ? port : null;
}

/**
 * True for an absolute path with no control characters (newline, tab, NUL...) and no `.` or
 * `..` segment: safe to quote into a script or a config file line.
 */
export function isSafeAbsolutePath(value: string): boolean {
  if (!value.startsWith('/') || value.length > 4096) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false; // newline, tab, NUL, escape...
  }
  return value.split('/').every((segment) => segment !== '.' && segment !== '..');
}

/** True for an OS account name as useradd allows it (and `runuser -u` takes it). */
export function isOsUserName(value: string): boolean {
  return /^[a-z_][a-z0-9_.-]{0,31}\$?$/i.test(value);
}

/**
 * The same checks for the scripts that read the server, as POSIX sh functions:
 * - `pg_major_ok V`: V is 1 to 3 digits;
 * - `pg_bin_dir V TOOL`: prints the package folder holding an executable TOOL for major V;
 * - `pid_ok P`, `port_ok P`: digits only;
 * - `abs_path_ok P`: absolute, no newline or tab (they would split the script's output lines
 *   and fields), no `.`/`..` segment; other control characters are refused by the TypeScript
 *   side that reads the output.
 */
export const SERVER_VALUE_SHELL = String.raw`
kumiko_tab=$(printf '\t')
pg_major_ok() { case "$1" in [0-9]|[0-9][0-9]|[0-9][0-9][0-9]) return 0 ;; *) return 1 ;; esac; }
pg_bin_dir() {
  pg_major_ok "$1" || return 1
  for b in "/usr/lib/postgresql/$1/bin" "/usr/pgsql-$1/bin"; do
    if [ -x "$b/$2" ]; then printf '%s\n' "$b"; return 0; fi
  done
  return 1
}
pid_ok() { case "$1" in ''|0*|*[!0-9]*|???????????*) return 1 ;; *) return 0 ;; esac; }
port_ok() { case "$1" in ''|*[!0-9]*|??????*) return 1 ;; *) return 0 ;; esac; }
abs_path_ok() {
  case "$1" in /*) ;; *) return 1 ;; esac
  case "$1" in *'
'*|*"$kumiko_tab"*) return 1 ;; esac
  case "/$1/" in */./*|*/../*) return 1 ;; esac
  return 0
}
`;
