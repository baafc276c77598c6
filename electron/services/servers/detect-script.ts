/**
 * One POSIX shell script, sent on stdin, that reports everything detection needs in
 * `@@section` blocks. One round trip instead of a dozen keeps detection fast on slow links.
 *
 * PostgreSQL clusters are found through running postmasters (their working directory is the
 * data directory, whatever started them) and, on Debian, `pg_lsclusters` for stopped ones.
 */
export const DETECT_SCRIPT = String.raw`
set +e
section() { printf '\n@@%s\n' "$1"; }
section os; cat /etc/os-release 2>/dev/null
section kernel; uname -r
section arch; uname -m
section cpus; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN
section sudo
if [ "$(id -u)" = 0 ]; then echo root
elif ! command -v sudo >/dev/null 2>&1; then echo unavailable
elif sudo -n true 2>/dev/null; then echo passwordless
else echo password-required; fi
section node; node --version 2>/dev/null
section datadirs
for p in /proc/[0-9]*; do
  c=$(cat "$p/comm" 2>/dev/null)
  case "$c" in postgres|postmaster) readlink "$p/cwd" 2>/dev/null ;; esac
done | sort -u
if command -v pg_lsclusters >/dev/null 2>&1; then pg_lsclusters -h 2>/dev/null | awk '{print $6}'; fi
section clusters
for d in $(for p in /proc/[0-9]*; do c=$(cat "$p/comm" 2>/dev/null); case "$c" in postgres|postmaster) readlink "$p/cwd" 2>/dev/null ;; esac; done; command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | awk '{print $6}'); do echo "$d"; done | sort -u | while read -r d; do
  [ -f "$d/PG_VERSION" ] || continue
  v=$(cat "$d/PG_VERSION")
  port=""; running=no
  if [ -f "$d/postmaster.pid" ]; then
    pid=$(sed -n 1p "$d/postmaster.pid"); port=$(sed -n 4p "$d/postmaster.pid")
    kill -0 "$pid" 2>/dev/null && running=yes
  fi
  if [ -z "$port" ]; then port=$(sed -n "s/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p" "$d/postgresql.auto.conf" "$d/postgresql.conf" /etc/postgresql/$v/*/postgresql.conf 2>/dev/null | tail -1); fi
  cd_bin=""
  for b in /usr/lib/postgresql/$v/bin /usr/pgsql-$v/bin /usr/local/pgsql/bin; do [ -x "$b/pg_controldata" ] && cd_bin="$b" && break; done
  [ -z "$cd_bin" ] && command -v pg_controldata >/dev/null 2>&1 && cd_bin=$(dirname "$(command -v pg_controldata)")
  sums=unknown
  if [ -n "$cd_bin" ]; then
    s=$(LC_ALL=C "$cd_bin/pg_controldata" "$d" 2>/dev/null | sed -n 's/^Data page checksum version:[[:space:]]*//p')
    [ -n "$s" ] && sums="$s"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$v" "$d" "$port" "$sums" "$running"
done
section disks
LC_ALL=C df -P -B1 / /var/lib/postgresql $(for p in /proc/[0-9]*; do c=$(cat "$p/comm" 2>/dev/null); case "$c" in postgres|postmaster) readlink "$p/cwd" 2>/dev/null ;; esac; done | sort -u) 2>/dev/null | tail -n +2
section end
`;
