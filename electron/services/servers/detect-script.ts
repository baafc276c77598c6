import { SERVER_VALUE_SHELL } from '../../../shared/server-values';

/**
 * One POSIX shell script, sent on stdin, that reports everything detection needs in
 * `@@section` blocks. One round trip instead of a dozen keeps detection fast on slow links.
 *
 * PostgreSQL clusters are found through running postmasters (a process whose name is
 * `postgres` or `postmaster`; its working directory is the data directory, whatever started
 * it) and, on Debian, `pg_lsclusters` for stopped ones. The script runs as root, and any local
 * user can start a process named `postgres` in a folder of their own: everything read there is
 * checked before use (SERVER_VALUE_SHELL), pg_controldata comes only from the package folder
 * of a digits-only PG_VERSION and runs as the data directory's owner. A folder that fails a
 * check is reported as `skipped<TAB>reason<TAB>folder`, never as a cluster.
 */
export const DETECT_SCRIPT =
  String.raw`
set +e
section() { printf '\n@@%s\n' "$1"; }
` +
  SERVER_VALUE_SHELL +
  String.raw`
pg_dirs() {
  for p in /proc/[0-9]*; do
    c=$(cat "$p/comm" 2>/dev/null)
    case "$c" in postgres|postmaster) ;; *) continue ;; esac
    l=$(readlink "$p/cwd" 2>/dev/null)
    abs_path_ok "$l" && printf '%s\n' "$l"
  done
  if command -v pg_lsclusters >/dev/null 2>&1; then pg_lsclusters -h 2>/dev/null | awk '{print $6}'; fi
}
skip() { printf 'skipped\t%s\t%s\n' "$1" "$d"; }
is_root=no; [ "$(id -u)" = 0 ] && is_root=yes
section os; cat /etc/os-release 2>/dev/null
section kernel; uname -r
section arch; uname -m
section cpus; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN
section sudo
if [ "$is_root" = yes ]; then echo root
elif ! command -v sudo >/dev/null 2>&1; then echo unavailable
elif sudo -n true 2>/dev/null; then echo passwordless
else echo password-required; fi
section node; node --version 2>/dev/null
section datadirs
pg_dirs | sort -u
section clusters
pg_dirs | sort -u | while IFS= read -r d; do
  abs_path_ok "$d" || continue
  [ -f "$d/PG_VERSION" ] || continue
  if [ -L "$d/PG_VERSION" ]; then skip 'PG_VERSION is a symbolic link'; continue; fi
  v=$(head -c 16 "$d/PG_VERSION" 2>/dev/null | head -n 1)
  if ! pg_major_ok "$v"; then skip 'PG_VERSION holds no PostgreSQL major version number'; continue; fi
  port=""; running=no
  if [ -f "$d/postmaster.pid" ] && [ ! -L "$d/postmaster.pid" ]; then
    pidfile=$(head -c 4096 "$d/postmaster.pid" 2>/dev/null)
    pid=$(printf '%s\n' "$pidfile" | sed -n 1p); port=$(printf '%s\n' "$pidfile" | sed -n 4p)
    port_ok "$port" || port=""
    # Running: the pid is a postmaster whose working directory is this data directory.
    if pid_ok "$pid" && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$d" ]; then
      case "$(cat "/proc/$pid/comm" 2>/dev/null)" in postgres|postmaster) running=yes ;; esac
    fi
  fi
  if [ -z "$port" ]; then
    port=$(sed -n "s/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p" "$d/postgresql.auto.conf" "$d/postgresql.conf" "/etc/postgresql/$v/"*/postgresql.conf 2>/dev/null | tail -1)
    port_ok "$port" || port=""
  fi
  sums=unknown
  b=$(pg_bin_dir "$v" pg_controldata)
  if [ -n "$b" ]; then
    if [ "$is_root" = yes ]; then
      owner=$(stat -c %U "$d" 2>/dev/null)
      case "$owner" in ''|-*|*[!A-Za-z0-9_.-]*) s="" ;;
        *) s=$(LC_ALL=C runuser -u "$owner" -- "$b/pg_controldata" "$d" 2>/dev/null </dev/null | sed -n 's/^Data page checksum version:[[:space:]]*//p') ;;
      esac
    else
      s=$(LC_ALL=C "$b/pg_controldata" "$d" 2>/dev/null </dev/null | sed -n 's/^Data page checksum version:[[:space:]]*//p')
    fi
    case "$s" in ''|*[!0-9]*) ;; *) sums="$s" ;; esac
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$v" "$d" "$port" "$sums" "$running"
  # Its databases and sizes, from the running cluster itself, as the data directory's owner
  # (never root) over the socket folder postmaster.pid names; names hex-encoded so no byte of
  # a name can split a line. 'dbok' after the list: listed (else unknown, not "none").
  [ "$running" = yes ] || continue
  sock=$(printf '%s\n' "$pidfile" | sed -n 5p)
  pb=$(pg_bin_dir "$v" psql)
  abs_path_ok "$sock" && [ -n "$pb" ] || continue
  q="SET statement_timeout = 5000; SELECT 'db' || chr(9) || encode(convert_to(datname, 'UTF8'), 'hex') || chr(9) || pg_database_size(oid) FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname LIMIT 500"
  if [ "$is_root" = yes ]; then
    owner=$(stat -c %U "$d" 2>/dev/null)
    case "$owner" in ''|-*|*[!A-Za-z0-9_.-]*) continue ;; esac
    dbs=$(runuser -u "$owner" -- env PGCONNECT_TIMEOUT=5 "$pb/psql" -XAtq -h "$sock" -p "$port" -d postgres -c "$q" 2>/dev/null </dev/null) || continue
  else
    dbs=$(env PGCONNECT_TIMEOUT=5 "$pb/psql" -XAtq -h "$sock" -p "$port" -d postgres -c "$q" 2>/dev/null </dev/null) || continue
  fi
  printf '%s\n' "$dbs" | grep "^db$kumiko_tab"
  echo dbok
done
section disks
{ printf '%s\n' / /var/lib/postgresql; pg_dirs; } | sort -u | while IFS= read -r d; do
  LC_ALL=C df -P -B1 "$d" 2>/dev/null | tail -n +2
done
section end
`;
