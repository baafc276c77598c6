import type { JobContext } from '../../jobs/runner';
import type { SshConnection } from '../ssh/connection';
import type { RemoteLayout } from './layout';
import { alterSystem, reload } from './postgres-control';
import { runPreflight, type ManagedSetting } from './preflight';
import { RemoteShell, shq } from './remote-shell';
import { stopScheduler } from './scheduler';

export interface UninstallContext {
  ssh: SshConnection;
  isRoot: boolean;
  dataDirectory: string;
  layout: RemoteLayout;
  job: JobContext;
}

/**
 * Stops capture and removes the agent from the server. Every backup in the bucket stays.
 * The archive settings go back to what they were before install; archive_mode itself only
 * changes at the next restart, which this never does on its own, so until then
 * archive_command is a no-op and PostgreSQL keeps recycling WAL instead of hoarding it.
 */
export async function runUninstall(ctx: UninstallContext): Promise<{ restartPending: boolean }> {
  const shell = new RemoteShell(ctx.ssh, ctx.isRoot);
  const signal = ctx.job.signal;
  ctx.job.progress('preflight', 0, 4);
  const pre = await runPreflight(shell, ctx.dataDirectory, ctx.layout, signal);
  ctx.job.progress('stop agent', 1, 4);
  await stopScheduler(shell, pre, ctx.layout);
  ctx.job.progress('restore settings', 2, 4);
  const saved = await shell.run(
    'read original settings',
    `cat ${shq(ctx.layout.settingsBackupPath)} 2>/dev/null || true`,
    {
      signal,
    },
  );
  let original: Partial<Record<ManagedSetting, string>> = {};
  try {
    original = (JSON.parse(saved.stdout) as { settings: Record<ManagedSetting, string> }).settings;
  } catch {
    // No record (installed by an old version): fall back to PostgreSQL's defaults below.
  }
  const archiveMode = original.archive_mode ?? 'off';
  const restore: Partial<Record<ManagedSetting, string>> = {
    archive_mode: archiveMode,
    archive_command:
      archiveMode === 'off' || !original.archive_command ? 'true' : original.archive_command,
    archive_timeout: original.archive_timeout ?? '0',
  };
  await alterSystem(shell, pre, restore, signal);
  await reload(shell, pre, signal);
  ctx.job.progress('remove files', 3, 4);
  await shell.run(
    'remove agent files',
    `rm -rf ${shq(ctx.layout.etcDir)} ${shq(ctx.layout.libDir)} ${shq(ctx.layout.stateDir)}`,
    { signal },
  );
  ctx.job.progress('remove files', 4, 4);
  return { restartPending: pre.settings.archive_mode !== archiveMode };
}
