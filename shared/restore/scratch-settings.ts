import { SMOKE_CHECK_ROLE } from '../agent/smoke-sql';

/**
 * How a restored data directory is turned into a scratch cluster that cannot harm production
 * (DESIGN.md §7): its own port and socket, no WAL archiving, logs in English and UTC in one file
 * the restore job reads. Pure text transforms shared by the app's restore job (which reads and
 * writes the files over SSH) and the agent's drill (which reads and writes them locally).
 */

/** `pg_controldata` output as name → value ("Database cluster state" → "in production"). */
export function parseControlData(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return out;
}

// Hot standby (read-only connections while WAL replays, which is how the job watches progress)
// refuses to run with lower values than the backed-up primary had; pg_control records them.
const FROM_CONTROL_DATA: [setting: string, field: string][] = [
  ['max_connections', 'max_connections setting'],
  ['max_worker_processes', 'max_worker_processes setting'],
  ['max_wal_senders', 'max_wal_senders setting'],
  ['max_prepared_transactions', 'max_prepared_xacts setting'],
  ['max_locks_per_transaction', 'max_locks_per_xact setting'],
];

/** What {@link scratchSettings} derives the settings from. */
export interface ScratchSettingsInput {
  port: number;
  socketDirectory: string;
  /** Short name shown in `ps` beside every scratch backend. */
  clusterName: string;
  /** The scratch cluster's own pg_hba.conf (see {@link scratchHba}). */
  hbaFile: string;
  controlData: Map<string, string>;
}

/** The settings every scratch cluster runs with (they win over the restored ones). */
export function scratchSettings(input: ScratchSettingsInput): Record<string, string> {
  const settings: Record<string, string> = {
    port: String(input.port),
    // Reachable only from the server itself (and through an SSH tunnel), never from the network.
    listen_addresses: '127.0.0.1',
    unix_socket_directories: input.socketDirectory,
    cluster_name: input.clusterName,
    hba_file: input.hbaFile,
    // A promoted scratch cluster that archived would push a new timeline into the production
    // repository (DESIGN.md §7).
    archive_mode: 'off',
    archive_command: '',
    archive_library: '',
    // A synchronous standby name from production would make every scratch commit wait forever.
    synchronous_standby_names: '',
    // Production's pid file path would be overwritten by the scratch postmaster.
    external_pid_file: '',
    // One log file the job parses: English, UTC, recovery progress every second.
    logging_collector: 'off',
    log_destination: 'stderr',
    lc_messages: 'C',
    log_timezone: 'UTC',
    log_min_messages: 'warning',
    log_startup_progress_interval: '1s',
    hot_standby: 'on',
    // The scratch cluster shares the machine with production: it must not take production's
    // (possibly many GB of) shared memory.
    shared_buffers: '256MB',
    huge_pages: 'try',
  };
  for (const [setting, field] of FROM_CONTROL_DATA) {
    const value = input.controlData.get(field);
    if (value && /^\d+$/.test(value)) settings[setting] = value;
  }
  return settings;
}

function quoteValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const KEY = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=?/;

/**
 * The restored `postgresql.auto.conf` with every line that sets one of `settings` commented out
 * (keeping pgBackRest's recovery settings) and `settings` appended. It is read last, so these
 * values win over postgresql.conf; ALTER SYSTEM in the scratch cluster keeps them.
 */
export function rewriteAutoConf(
  restored: string,
  settings: Record<string, string>,
  header: string,
): string {
  const names = new Set(Object.keys(settings).map((n) => n.toLowerCase()));
  const kept = restored.split('\n').map((line) => {
    const key = KEY.exec(line)?.[1]?.toLowerCase();
    return key && names.has(key) ? `# (replaced for the scratch cluster) ${line}` : line;
  });
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  const block = Object.entries(settings).map(([name, value]) => `${name} = ${quoteValue(value)}`);
  return `${[...kept, '', `# ${header}`, ...block].join('\n')}\n`;
}

/**
 * A minimal postgresql.conf for data directories restored without one (Debian keeps it in
 * /etc/postgresql, outside the backup). Everything that matters is in postgresql.auto.conf.
 */
export const MINIMAL_POSTGRESQL_CONF =
  '# Written by Kumiko Recovery for a scratch cluster: the production config lives outside the data directory.\n';

/**
 * The scratch cluster's pg_hba.conf: first a rule that lets the cluster's OS user in over the
 * socket by peer authentication (the job verifies through it, whatever the restored rules say),
 * then one for the drill's smoke-check role over the socket with the password the drill gives
 * it (a role that exists only in the throwaway cluster, see shared/agent/smoke-sql.ts), then
 * the restored rules, or, when the backup had none (Debian keeps them in /etc), local peer and
 * passwords over TCP.
 */
export function scratchHba(osUser: string, restored: string | null): string {
  const own = `local all ${osUser} peer`;
  const smoke = `local all ${SMOKE_CHECK_ROLE} scram-sha-256`;
  const rest =
    restored ?? ['local all all peer', 'host all all 127.0.0.1/32 scram-sha-256'].join('\n');
  return `# Written by Kumiko Recovery for a scratch cluster.\n${own}\n${smoke}\n\n${rest.replace(/\n*$/, '')}\n`;
}
