import { AUDIT_COMMANDS, AUDIT_USAGE } from './audit/audit-commands';
import { DEFAULT_CONFIG_PATH } from './runtime/config-file';
import { AgentError, EXIT } from './runtime/errors';

export const COMMANDS = [
  'snapshot',
  'retention',
  'heartbeat',
  'status',
  'drill',
  'restore',
  'restore-production',
  'scratch-list',
  'scratch-drop',
  'rebuild-place',
  'bucket-history',
  'databases',
  'daemon',
  'supervise',
  'stop',
  'version',
  'systemd-unit',
  'alert-test',
  ...AUDIT_COMMANDS,
] as const;
export type Command = (typeof COMMANDS)[number];

/** Parsed command line. */
export interface CliArgs {
  command: Command;
  configPath: string;
  /** snapshot: force the backup type. */
  type?: 'full' | 'diff' | 'incr';
  /** retention: plan as of this moment (preview a later day; used by tests). */
  now?: Date;
  /** retention: print the plan, change nothing. */
  dryRun: boolean;
  /** snapshot: an admin's note signed into the manifest (shared/agent/point.ts PointNote). */
  note?: string;
  /** snapshot: rebuild restic's index first, so lost attached-file data is uploaded again. */
  heal: boolean;
  /** drill, restore, snapshot: progress lines (`@progress`/`@restore`/`@point <json>`) on stderr. */
  progress: boolean;
  /** restore: the restore spec (JSON, shared/agent/restore.ts AgentRestoreSpec). */
  spec?: string;
  /** scratch-drop: the scratch environment's id. */
  id?: string;
}

export const USAGE = `usage: kumiko-agent <command> [--config <path>] [options]

commands:
  snapshot     take the daily recovery point now   [--type full|diff|incr]
               [--note <text>] [--progress] [--heal]
  retention    apply GFS retention now             [--dry-run] [--now <ISO time>]
  heartbeat    collect, upload, alert, ping
  status       print a fresh heartbeat (changes nothing)
  drill        restore the latest recovery point into a throwaway cluster, verify it,
               upload a signed report              [--progress]
  restore      restore into a new scratch environment and verify it; prints the result
               (JSON)                              --spec <json> [--progress]
  restore-production
               restore over production's own cluster after a safety snapshot (the app
               checks the typed name and pauses the scheduler)   --spec <json> [--progress]
  databases    list production's databases (JSON)
  bucket-history
               the bucket's version history of this server (JSON): whether it holds old
               versions, and the newest moment before backup objects were overwritten or
               deleted (for a restore spec's bucketAsOf)   [--key-file <read-only key JSON>]
  scratch-list list the scratch environments of restores (JSON)
  scratch-drop stop and delete a scratch environment   --id <uuid>
  rebuild-place
               a verified restore becomes this host's cluster: moved to its data
               directory, configured and started (JSON)   --spec <json>
  daemon       run the scheduler in the foreground (systemd)
  supervise    run and restart the daemon (servers without systemd)
  stop         stop the supervisor (or daemon) and wait
  alert-test   send a test message through the configured alert channels (JSON)
               --channel smtp|webhook
  version      print the agent version
  systemd-unit print the systemd unit file   [--node <path>] [--bundle <path>]
${AUDIT_USAGE}

--config defaults to ${DEFAULT_CONFIG_PATH}.
exit codes: 0 ok, 1 a step failed, 2 usage, 3 config, 4 already running,
5 a drill ran and a check failed (its report is in the bucket), or a restore's environment
is up but a check failed (kept for a look), or a snapshot's attached files depend on data
gone from the bucket (the point does not count; --heal rebuilds restic's index first).`;

/** Parses argv (without node and the script). @throws AgentError with exit code usage. */
export function parseArgs(argv: readonly string[]): CliArgs & { options: Record<string, string> } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    throw new AgentError('usage', USAGE, EXIT.usage);
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new AgentError('usage', `unknown command "${command}"\n${USAGE}`, EXIT.usage);
  }
  const options: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new AgentError('usage', `unexpected argument "${arg}"`, EXIT.usage);
    const name = m[1] as string;
    if (name === 'dry-run' || name === 'progress' || name === 'heal') {
      flags.add(name);
      continue;
    }
    const value = m[2] ?? rest[++i];
    if (value === undefined) throw new AgentError('usage', `--${name} needs a value`, EXIT.usage);
    options[name] = value;
  }
  const known = new Set([
    'config',
    'type',
    'now',
    'node',
    'bundle',
    'spec',
    'id',
    'note',
    'key-file',
    'channel',
  ]);
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new AgentError('usage', `unknown option --${name}`, EXIT.usage);
  }
  const type = options.type;
  if (type !== undefined && type !== 'full' && type !== 'diff' && type !== 'incr') {
    throw new AgentError('usage', '--type must be full, diff or incr', EXIT.usage);
  }
  let now: Date | undefined;
  if (options.now !== undefined) {
    now = new Date(options.now);
    if (Number.isNaN(now.getTime())) {
      throw new AgentError('usage', '--now must be an ISO time', EXIT.usage);
    }
  }
  return {
    command: command as Command,
    configPath: options.config ?? DEFAULT_CONFIG_PATH,
    type,
    now,
    dryRun: flags.has('dry-run'),
    progress: flags.has('progress'),
    heal: flags.has('heal'),
    spec: options.spec,
    id: options.id,
    note: options.note,
    options,
  };
}
