import type { AgentUninstallResult } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import type { SshConnection } from '../ssh/connection';
import type { RemoteLayout } from './layout';
import {
  alterSystemLinesScript,
  autoConfLinesScript,
  reload,
  restart,
  restoreSystem,
} from './postgres-control';
import {
  readSettingsScript,
  runPreflight,
  targetSettings,
  type ManagedSetting,
  type Preflight,
} from './preflight';
import {
  parsePriorSettings,
  reorderStatements,
  restorePlan,
  type AutoConfLine,
  type PriorSettings,
} from './prior-settings';
import { RemoteShell, shq } from './remote-shell';
import { AUDIT_SLOT_LIKE } from '../../../shared/audit/audit-stream-sql';
import { stopScheduler } from './scheduler';

export interface UninstallContext {
  ssh: SshConnection;
  isRoot: boolean;
  dataDirectory: string;
  layout: RemoteLayout;
  /** The stanza install used (its archive_command names it). */
  stanza: string;
  /** The admin said yes to restarting PostgreSQL. */
  confirmRestart: boolean;
  /** The app's copy of the prior-settings record (JSON), used when the server's is gone. */
  appRecord: string | null;
  job: JobContext;
}

/** Settings PostgreSQL takes only at a restart. */
const RESTART_SETTINGS: readonly ManagedSetting[] = ['archive_mode', 'wal_level'];
const PHASES = 5;
/** PostgreSQL's settings with GUC_LIST_QUOTE (guc_tables.c, versions 12 to 17). */
const LIST_QUOTE_SETTINGS: readonly string[] = [
  'search_path',
  'temp_tablespaces',
  'shared_preload_libraries',
  'local_preload_libraries',
  'session_preload_libraries',
  'unix_socket_directories',
];

/**
 * Stops capture, puts back every PostgreSQL setting install changed exactly as it was (the
 * same postgresql.auto.conf lines, or none), restarts PostgreSQL when archive_mode or
 * wal_level need it and the admin confirmed, and removes the agent. Every backup in the
 * bucket stays. The result says what was restored, what was left and whether a restart is
 * still needed, each read back from the server.
 */
export async function runUninstall(ctx: UninstallContext): Promise<AgentUninstallResult> {
  const shell = new RemoteShell(ctx.ssh, ctx.isRoot);
  const { signal, layout } = { signal: ctx.job.signal, layout: ctx.layout };
  ctx.job.progress('preflight', 0, PHASES);
  const pre = await runPreflight(shell, ctx.dataDirectory, layout, signal);
  ctx.job.progress('stop agent', 1, PHASES);
  await stopScheduler(shell, pre, layout);
  await dropAuditSlots(shell, pre, signal);

  ctx.job.progress('restore settings', 2, PHASES);
  const target = targetSettings(layout, ctx.stanza);
  const saved = await shell.run(
    'read original settings',
    `cat ${shq(layout.settingsBackupPath)} 2>/dev/null || true`,
    { signal },
  );
  const found =
    parsePriorSettings(saved.stdout, target) ?? parsePriorSettings(ctx.appRecord, target);
  // No record anywhere (it was deleted): take install's own lines out, PostgreSQL's files
  // decide again. Nothing is known of what ran before, and the result says so.
  const record: PriorSettings = found ?? {
    version: 2,
    settings: {},
    autoConf: {},
    changed: target,
    autoConfOrder: [],
  };
  const { restore, left } = restorePlan(record, pre);
  const restartNeeded = restore.some(
    (r) => RESTART_SETTINGS.includes(r.name) && pre.settings[r.name] !== r.before,
  );
  const restarting = restartNeeded && ctx.confirmRestart;
  const interim = restartNeeded && !restarting ? interimValues(pre, restore) : [];
  const statements = restore.map((r) => {
    const held = interim.find((i) => i.name === r.name);
    return held ? { name: r.name, value: held.value } : r;
  });
  await restoreSystem(shell, pre, statements, signal);
  const orderKept = await restoreAutoConfOrder(shell, pre, record.autoConfOrder, signal);
  await reload(shell, pre, signal);
  if (restarting) {
    ctx.job.progress('restart', 3, PHASES);
    await restart(shell, pre, signal);
  }

  ctx.job.progress('remove files', 4, PHASES);
  await stopArchiver(shell, pre, layout, ctx.stanza, signal);
  await shell.run(
    'remove agent files',
    `rm -rf ${shq(layout.etcDir)} ${shq(layout.libDir)} ${shq(layout.stateDir)}`,
    { signal },
  );
  const now = await runningSettings(shell, pre, signal);
  ctx.job.progress('remove files', PHASES, PHASES);
  return {
    restored: restore.map((r) => ({
      name: r.name,
      before: r.before,
      autoConf: r.value,
      now: now[r.name] ?? '',
    })),
    left: left.map((l) => ({ name: l.name, autoConf: l.now })),
    interim,
    restarted: restarting,
    // Read back, not assumed: PostgreSQL itself says whether it still waits for a restart.
    restartPending: restore.some(
      (r) => RESTART_SETTINGS.includes(r.name) && (now[r.name] ?? '') !== r.before,
    ),
    recordFound: found !== null,
    autoConfOrderKept: orderKept,
  };
}

/**
 * Until the restart, archive_mode stays on: with the archive_command of before install (none)
 * PostgreSQL would keep every WAL segment for an archiver that is gone and fill the disk. So
 * archive_command is 'true' until then, and the result says so.
 */
function interimValues(
  pre: Preflight,
  restore: ReturnType<typeof restorePlan>['restore'],
): { name: ManagedSetting; value: string }[] {
  const command = restore.find((r) => r.name === 'archive_command');
  const keepsArchiving = pre.settings.archive_mode !== 'off';
  if (!keepsArchiving || !command || (command.value ?? '') !== '') return [];
  return [{ name: 'archive_command', value: 'true' }];
}

/**
 * Ends pgBackRest's asynchronous archiver for the agent's stanza before its folders go: it
 * outlives archive_command and would write into a spool folder that is being removed.
 */
async function stopArchiver(
  shell: RemoteShell,
  pre: Preflight,
  layout: RemoteLayout,
  stanza: string,
  signal: AbortSignal,
): Promise<void> {
  const config = shq(layout.pgbackrestConfigPath);
  await shell.run(
    'stop pgBackRest',
    `if [ -f ${config} ]; then pgbackrest --config=${config} --stanza=${shq(stanza)} stop --force >/dev/null 2>&1 || true; fi`,
    { asUser: pre.cluster.osUser, signal },
  );
}

/**
 * Puts postgresql.auto.conf's lines back in their order of before install
 * ({@link reorderStatements}); false when that failed (the values are right either way, and
 * the result says the order is not).
 */
async function restoreAutoConfOrder(
  shell: RemoteShell,
  pre: Preflight,
  order: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  if (order.length === 0) return true;
  try {
    const out = await shell.run('read postgresql.auto.conf', autoConfLinesScript(pre), {
      asUser: pre.cluster.osUser,
      signal,
    });
    const lines: AutoConfLine[] = [];
    for (const line of out.stdout.split('\n')) {
      const bar = line.indexOf('|');
      if (bar > 0) lines.push({ name: line.slice(0, bar), value: line.slice(bar + 1) });
    }
    const statements = reorderStatements(order, lines);
    if (statements.length === 0) return true;
    // ALTER SYSTEM quotes each element of these lists: setting the file's text again would
    // write another line (and could change its meaning), so their order is left and said.
    if (statements.some((line) => LIST_QUOTE_SETTINGS.includes(line.name))) return false;
    await shell.run('order postgresql.auto.conf', alterSystemLinesScript(pre, statements), {
      asUser: pre.cluster.osUser,
      signal,
    });
    return true;
  } catch (err) {
    if (signal.aborted) throw err;
    return false;
  }
}

/** The managed settings as PostgreSQL runs them now. */
async function runningSettings(
  shell: RemoteShell,
  pre: Preflight,
  signal: AbortSignal,
): Promise<Partial<Record<ManagedSetting, string>>> {
  const out = await shell.run('read PostgreSQL settings', readSettingsScript(pre.cluster), {
    asUser: pre.cluster.osUser,
    signal,
  });
  const now: Partial<Record<string, string>> = {};
  for (const line of out.stdout.split('\n')) {
    const bar = line.indexOf('|');
    if (bar > 0) now[line.slice(0, bar)] = line.slice(bar + 1);
  }
  return now;
}

/**
 * The audit trail's logical slots go with the agent that drained them: nobody drains a slot
 * after this, so it would keep the server's WAL until the disk is full, and with wal_level put
 * back below logical PostgreSQL would not start while one exists. The trail's triggers and its
 * history stay (removing them is the audit trail's own job); its versions from now on are not
 * kept, and a later agent install notes that gap when it makes the slot again.
 */
async function dropAuditSlots(shell: RemoteShell, pre: Preflight, signal: AbortSignal) {
  const { cluster } = pre;
  await shell.run(
    'drop the audit trail slots',
    `${shq(`${cluster.binDirectory}/psql`)} -X -A -t -h ${shq(cluster.socketDirectory)} -p ${cluster.port} -d postgres -c ` +
      shq(
        `SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name LIKE ${AUDIT_SLOT_LIKE} AND NOT active`,
      ),
    { asUser: cluster.osUser, signal },
  );
}
