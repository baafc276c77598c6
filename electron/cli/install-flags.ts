import fs from 'node:fs/promises';
import { AgentInstallRequest } from '../../shared/contract';
import { flagString, type ParsedArgs } from './args';
import { usageError } from './output';

/**
 * `kumiko agent plan|install` flags → the install request the console's wizard sends
 * (renderer/stores/agent-install-model.ts toInstallRequest): cluster, attached folders,
 * schedule, retention and alerts. Checked against the contract's AgentInstallRequest here, so a
 * wrong value is named by its flag before anything connects to the server.
 */
export const INSTALL_FLAGS_HELP = `  --cluster DIR                PostgreSQL data directory to protect (required)
  --paths /srv/uploads,/srv/pdf  attached-file folders (restic)
  --snapshot-at HH:MM          daily recovery point, server time (default 02:30)
  --snapshot-every-minutes N   a recovery point every N minutes instead of daily
  --heartbeat-seconds N        agent heartbeat (default 60)
  --keep-daily N --keep-weekly N --keep-monthly N --pitr-days N   retention (7, 4, 3, 30)
  --smtp-host H --smtp-port N --smtp-from ADDR --smtp-to A,B [--smtp-secure] [--smtp-user U]
  --smtp-password-file F | --smtp-password-stdin   e-mail alerts; the password is read from a
                               file, stdin or KUMIKO_SMTP_PASSWORD, never from the command line
  --webhook-url URL [--webhook-format json|slack|teams]   webhook alerts
  --push-url URL               push monitor pinged after every heartbeat
  --confirm-restart            say yes to the PostgreSQL restart archiving needs`;

/** Contract paths named by the flag that sets them. */
const FLAG_OF: Record<string, string> = {
  dataDirectory: '--cluster',
  attachedPaths: '--paths',
  'schedule.snapshotAt': '--snapshot-at',
  'schedule.snapshotIntervalSeconds': '--snapshot-every-minutes',
  'schedule.heartbeatIntervalSeconds': '--heartbeat-seconds',
  'retention.daily': '--keep-daily',
  'retention.weekly': '--keep-weekly',
  'retention.monthly': '--keep-monthly',
  'retention.pitrDays': '--pitr-days',
  'alerts.smtp.host': '--smtp-host',
  'alerts.smtp.port': '--smtp-port',
  'alerts.smtp.from': '--smtp-from',
  'alerts.smtp.to': '--smtp-to',
  'alerts.smtp.username': '--smtp-user',
  'alerts.smtp.password': '--smtp-password-file',
  'alerts.webhooks.0.url': '--webhook-url',
  'alerts.webhooks.0.format': '--webhook-format',
  'alerts.pushMonitorUrl': '--push-url',
};

const SMTP_FLAGS = [
  'smtp-host',
  'smtp-port',
  'smtp-secure',
  'smtp-from',
  'smtp-to',
  'smtp-user',
  'smtp-password-file',
  'smtp-password-stdin',
];

/** Where the SMTP password may come from besides a file or stdin. */
export const SMTP_PASSWORD_ENV = 'KUMIKO_SMTP_PASSWORD';

function intFlag(args: ParsedArgs, name: string): number | undefined {
  if (!args.flags.has(name)) return undefined;
  const text = flagString(args, name) ?? '';
  if (!/^\d+$/.test(text)) throw usageError(`--${name} must be a whole number, not "${text}".`);
  return Number(text);
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The SMTP password from --smtp-password-file, --smtp-password-stdin or KUMIKO_SMTP_PASSWORD.
 * A value on the command line is refused: argv lands in shell history and in `ps` for every
 * user of the machine. One trailing newline belongs to the file, not to the password.
 */
async function smtpPassword(args: ParsedArgs): Promise<string | undefined> {
  if (args.flags.has('smtp-password')) {
    throw usageError(
      `--smtp-password is not accepted (the command line is visible to every user and kept in shell history): use --smtp-password-file, --smtp-password-stdin or ${SMTP_PASSWORD_ENV}.`,
    );
  }
  const file = flagString(args, 'smtp-password-file');
  let raw: string | undefined;
  if (file) {
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch (err) {
      throw usageError(`Cannot read --smtp-password-file: ${(err as Error).message}.`);
    }
  } else if (args.flags.has('smtp-password-stdin')) {
    raw = await readStdin();
  } else {
    raw = process.env[SMTP_PASSWORD_ENV];
  }
  const password = raw?.replace(/\r?\n$/, '');
  return password ? password : undefined;
}

/** The alerts block: e-mail only when an --smtp-* flag is given, as the wizard's checkbox. */
async function alertsFrom(args: ParsedArgs): Promise<Record<string, unknown>> {
  const wantsSmtp = SMTP_FLAGS.some((f) => args.flags.has(f));
  const webhookUrl = flagString(args, 'webhook-url');
  const pushUrl = flagString(args, 'push-url');
  if (args.flags.has('webhook-format') && !webhookUrl) {
    throw usageError('--webhook-format needs --webhook-url.');
  }
  let smtp: Record<string, unknown> | undefined;
  if (wantsSmtp) {
    const user = flagString(args, 'smtp-user');
    const password = await smtpPassword(args);
    smtp = {
      host: flagString(args, 'smtp-host'),
      port: intFlag(args, 'smtp-port') ?? 587,
      secure: args.flags.has('smtp-secure'),
      from: flagString(args, 'smtp-from'),
      to: list(flagString(args, 'smtp-to')),
      ...(user ? { username: user } : {}),
      ...(password ? { password } : {}),
    };
  }
  return {
    ...(smtp ? { smtp } : {}),
    webhooks: webhookUrl
      ? [{ url: webhookUrl, format: flagString(args, 'webhook-format') ?? 'json' }]
      : [],
    ...(pushUrl ? { pushMonitorUrl: pushUrl } : {}),
  };
}

/**
 * The install request from the flags, checked against the contract.
 * @throws CliError (INVALID_INPUT) naming the flag when a value is missing or wrong.
 */
export async function installRequestFrom(
  args: ParsedArgs,
  serverId: string,
): Promise<AgentInstallRequest> {
  const dataDirectory = flagString(args, 'cluster');
  if (!dataDirectory) throw usageError('--cluster <PostgreSQL data directory> is required.');
  const everyMinutes = intFlag(args, 'snapshot-every-minutes');
  const request = {
    serverId,
    dataDirectory,
    attachedPaths: (flagString(args, 'paths') ?? '').split(',').filter(Boolean),
    schedule: {
      snapshotAt: flagString(args, 'snapshot-at') ?? '02:30',
      ...(everyMinutes === undefined ? {} : { snapshotIntervalSeconds: everyMinutes * 60 }),
      heartbeatIntervalSeconds: intFlag(args, 'heartbeat-seconds') ?? 60,
      retentionIntervalSeconds: 86_400,
    },
    retention: {
      daily: intFlag(args, 'keep-daily') ?? 7,
      weekly: intFlag(args, 'keep-weekly') ?? 4,
      monthly: intFlag(args, 'keep-monthly') ?? 3,
      pitrDays: intFlag(args, 'pitr-days') ?? 30,
    },
    alerts: await alertsFrom(args),
    confirmRestart: args.flags.has('confirm-restart'),
  };
  const parsed = AgentInstallRequest.safeParse(request);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const at = issue.path.join('.');
      return `${FLAG_OF[at] ?? at}: ${issue.message}`;
    });
    throw usageError(`Invalid install settings: ${problems.join('; ')}.`);
  }
  // The request as given (defaults applied by the router), not the parsed copy: the same shape
  // the console sends.
  return request as AgentInstallRequest;
}
