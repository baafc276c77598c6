import { newLedgerKey } from '../../../node/gdpr/ledger-object';
import { appSigningKey } from '../reports/app-signing-key';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import {
  AGENT_INSTALL_PHASES,
  type AgentInstallSettings,
  type SentScriptRecord,
} from '../../../shared/contract';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { openSshPublicKeyLine } from '../../../shared/sshsig/sshsig';
import type { JobContext } from '../../jobs/runner';
import { APP_VERSION } from '../app-version';
import { AppError } from '../app-error';
import type { RuntimeSources } from '../node-runtime/resolve-runtime';
import { NODE_RUNTIME_VERSION, runtimeArch } from '../node-runtime/runtime-pin';
import type { SecretStore } from '../secrets/secret-store';
import type { SshConnection } from '../ssh/connection';
import type { StorageCredentials } from '../storage/storage-service';
import type { InstalledAgent } from './agents-repo';
import type { RepositorySecrets } from './config-files';
import {
  createFoldersScript,
  firstBackupScript,
  installFiles,
  keepFirstSettingsScript,
  pgbackrestScript,
  recordSettingsScript,
  redactedInputs,
  resticInitScript,
  signingKeyScript,
  waitHeartbeatScript,
  type ScriptInputs,
} from './install-scripts';
import type { RemoteLayout } from './layout';
import { alterSystem, reload, restart, restoreSystem } from './postgres-control';
import {
  changedSettings,
  hasUsableNode,
  restartRequired,
  runPreflight,
  targetSettings,
  type AgentPreflight,
} from './preflight';
import { installPackages } from './packages';
import { parsePriorSettings, priorSettingsRecord, restorePlan } from './prior-settings';
import { ensureRemoteRuntime } from './remote-runtime';
import { RemoteShell, shq, type SentScript } from './remote-shell';
import { startScheduler, stopScheduler } from './scheduler';
import { UndoStack } from './undo-stack';

export const INSTALL_PHASES = AGENT_INSTALL_PHASES;

export interface InstallContext {
  ssh: SshConnection;
  isRoot: boolean;
  request: AgentInstallSettings;
  /** The server's name in the app (for the agent's reports). */
  serverName: string;
  storage: StorageCredentials;
  layout: RemoteLayout;
  secrets: SecretStore;
  bundle: Buffer;
  /** Where to find the Node runtime uploaded to servers without a supported Node. */
  runtime: RuntimeSources;
  job: JobContext;
  /**
   * Called when the undo destroys an agent key this install made: a late cancel can come after
   * the first recovery point was signed with it, and that point stays in the bucket.
   */
  retireKey?(publicKey: string): void;
}

export const repositorySecretNames = (serverId: string) => ({
  cipherPass: `agent:${serverId}:pgbackrest-cipher-pass`,
  resticPassword: `agent:${serverId}:restic-password`,
  ledgerKey: `agent:${serverId}:gdpr-ledger-key`,
});

export const STANZA = 'main';
const NODE_RUNTIME_MAJOR = Number(NODE_RUNTIME_VERSION.split('.')[0]);

/**
 * Installs (or re-installs) the agent. Every change is recorded on an undo stack; a failure
 * or a cancel at any step restores the server: PostgreSQL settings back (with a restart
 * only if install restarted it), scheduler stopped, files removed. Backups already in the
 * bucket are never touched.
 */
export async function runInstall(
  ctx: InstallContext,
): Promise<InstalledAgent & { scripts: SentScriptRecord[] }> {
  const { request, layout, job } = ctx;
  const shell = new RemoteShell(ctx.ssh, ctx.isRoot);
  // The SHA-256 of every script sent (secrets as placeholders): equal to the plan's.
  const scripts: SentScriptRecord[] = [];
  shell.onSent = (sent) => scripts.push(sentRecord(sent));
  const signal = job.signal;
  const undo = new UndoStack();
  const step = (phase: (typeof INSTALL_PHASES)[number]) =>
    job.progress(phase, INSTALL_PHASES.indexOf(phase), INSTALL_PHASES.length);
  let current = 'preflight';
  try {
    step('preflight');
    const found = await runPreflight(shell, request.dataDirectory, layout, signal);
    const target = targetSettings(layout, STANZA);
    const needsRestart = restartRequired(found.settings, target);
    if (needsRestart && !request.confirmRestart) {
      throw new AppError(
        'RESTART_NOT_CONFIRMED',
        'Enabling WAL archiving needs a PostgreSQL restart. Confirm the restart to continue; nothing was changed.',
      );
    }
    // An architecture no runtime is shipped for is refused before anything changes.
    if (!hasUsableNode(found)) runtimeArch(found.arch);

    current = 'packages';
    step('packages');
    await installPackages(shell, found, signal);

    let pre: AgentPreflight;
    if (hasUsableNode(found)) {
      pre = found;
    } else {
      current = 'runtime';
      step('runtime');
      const runtime = await ensureRemoteRuntime(
        shell,
        layout,
        found.arch,
        ctx.runtime,
        undo,
        signal,
      );
      // Every later step (key, first backup, scheduler, stored settings) runs this node.
      pre = { ...found, nodePath: runtime.nodePath, nodeMajor: NODE_RUNTIME_MAJOR };
    }

    current = 'files';
    step('files');
    const secrets = await repositorySecrets(ctx.secrets, request.serverId);
    if (!pre.alreadyInstalled) {
      undo.push('remove agent files', async () => {
        await shell.run(
          'remove agent files',
          `rm -rf ${shq(layout.etcDir)} ${shq(layout.libDir)} ${shq(layout.stateDir)}`,
        );
      });
    }
    const inputs: ScriptInputs = {
      pre,
      layout,
      request,
      serverName: ctx.serverName,
      storage: ctx.storage,
      secrets,
      stanza: STANZA,
      ledgerSignerKey: (await appSigningKey(ctx.secrets)).publicKey,
    };
    const shown = redactedInputs(inputs);
    const publicKey = await writeFiles(shell, ctx, inputs, shown, signal);
    // Unwound before the files go (last in, first out): the key is retired, not forgotten.
    if (!pre.alreadyInstalled)
      undo.push('retire the agent key', async () => ctx.retireKey?.(publicKey));

    current = 'stanza';
    step('stanza');
    // pgBackRest reports an unreachable repository only after its retries (~40 s); the
    // phase name tells the admin what is being waited for.
    await pgbackrest(shell, pre, layout, 'stanza-create', signal);

    current = 'archiving';
    step('archiving');
    const changes = changedSettings(pre.settings, target);
    await shell.run('record original settings', recordSettingsScript(pre, layout, changes), {
      signal,
    });
    const kept = await shell.run(
      'keep the first original settings',
      keepFirstSettingsScript(layout),
      { signal },
    );
    // The app keeps a copy: uninstall still knows what to put back if the server's is lost.
    const priorSettings = parsePriorSettings(kept.stdout, target);
    if (Object.keys(changes).length > 0) {
      undo.push('restore PostgreSQL settings', async () => {
        // The lines postgresql.auto.conf had (or none), as uninstall would put them back.
        const { restore } = restorePlan(priorSettingsRecord(pre, changes), { autoConf: changes });
        await restoreSystem(shell, pre, restore);
        if (needsRestart) await restart(shell, pre);
        else await reload(shell, pre);
      });
      await alterSystem(shell, pre, changes, signal);
      if (needsRestart) await restart(shell, pre, signal);
      else await reload(shell, pre, signal);
    }

    current = 'check';
    step('check');
    await pgbackrest(shell, pre, layout, 'check', signal);

    current = 'restic';
    step('restic');
    if (request.attachedPaths.length > 0) {
      await shell.run('restic init', resticInitScript(inputs), {
        signal,
        redacted: resticInitScript(shown),
      });
    }

    current = 'first-backup';
    step('first-backup');
    await shell.run('first recovery point', firstBackupScript(inputs), { signal });

    current = 'schedule';
    step('schedule');
    undo.push('stop the agent scheduler', () => stopScheduler(shell, pre, layout));
    const scheduler = await startScheduler(shell, pre, layout, signal);

    current = 'verify';
    step('verify');
    await shell.run('first heartbeat', waitHeartbeatScript(layout), { signal });
    job.progress('verify', INSTALL_PHASES.length, INSTALL_PHASES.length);
    return {
      serverId: request.serverId,
      version: APP_VERSION,
      stanza: STANZA,
      dataDirectory: pre.cluster.dataDirectory,
      scheduler,
      publicKey,
      settings: {
        attachedPaths: request.attachedPaths,
        schedule: request.schedule,
        retention: request.retention,
        remoteRoot: layout.etcDir.replace(/\/etc\/kumiko-agent$/, '') || '/',
        nodePath: pre.nodePath,
        pgVersion: pre.cluster.version,
        bucketPrefix: bucketLayout.prefix(request.serverId),
        ...(priorSettings ? { priorSettings } : {}),
      },
      installedAt: new Date().toISOString(),
      scripts,
    };
  } catch (err) {
    const failures = await undo.unwind();
    const cancelled = signal.aborted;
    const reason = err instanceof Error ? err.message : String(err);
    const restored = failures.length
      ? ` Restoring the server was incomplete: ${failures.join('; ')}`
      : ' The server was restored to its previous state.';
    if (
      err instanceof AppError &&
      (err.code === 'RESTART_NOT_CONFIRMED' || err.code === 'NO_POSTGRES')
    )
      throw err;
    throw new AppError(
      cancelled
        ? 'CANCELLED'
        : err instanceof AppError && err.code !== 'INTERNAL'
          ? err.code
          : 'AGENT_INSTALL_FAILED',
      cancelled
        ? `Install cancelled during "${current}".${restored}`
        : `Install failed at step "${current}": ${reason}${restored}`,
      { step: current, undoFailures: failures },
    );
  }
}

async function repositorySecrets(store: SecretStore, serverId: string): Promise<RepositorySecrets> {
  const names = repositorySecretNames(serverId);
  // Re-install keeps the passphrases: a new one would make the existing backups unreadable.
  let cipherPass = await store.get(names.cipherPass);
  let resticPassword = await store.get(names.resticPassword);
  let ledgerKey = await store.get(names.ledgerKey);
  if (!cipherPass) {
    cipherPass = crypto.randomBytes(36).toString('base64url');
    await store.set(names.cipherPass, cipherPass);
  }
  if (!resticPassword) {
    resticPassword = crypto.randomBytes(36).toString('base64url');
    await store.set(names.resticPassword, resticPassword);
  }
  if (!ledgerKey) {
    ledgerKey = newLedgerKey();
    await store.set(names.ledgerKey, ledgerKey);
  }
  return { cipherPass, resticPassword, ledgerKey };
}

/** The agent's folders, files, program and signing key; returns the key's public half. */
async function writeFiles(
  shell: RemoteShell,
  ctx: InstallContext,
  inputs: ScriptInputs,
  shown: ScriptInputs,
  signal: AbortSignal,
): Promise<string> {
  const { layout, request } = ctx;
  await shell.run('create agent folders', createFoldersScript(inputs), { signal });
  const redacted = installFiles(shown);
  for (const [i, file] of installFiles(inputs).entries()) {
    await shell.writeFile(file.name, file.path, file.content, {
      mode: file.mode,
      ...(file.owner ? { owner: file.owner } : {}),
      redactedContent: redacted[i]?.content ?? '',
      signal,
    });
  }
  await shell.upload('upload agent', layout.bundlePath, ctx.bundle, '755', signal);
  // The agent's signing key is made on the server and never leaves it; the app pins the
  // public half.
  const key = await shell.run('create agent signing key', signingKeyScript(inputs), { signal });
  const raw = Buffer.from(key.stdout.trim(), 'base64url');
  if (raw.length !== 32)
    throw new AppError('AGENT_INSTALL_FAILED', 'The agent key is not an Ed25519 key.');
  return openSshPublicKeyLine(raw, `kumiko-agent@${request.serverId}`);
}

async function pgbackrest(
  shell: RemoteShell,
  pre: AgentPreflight,
  layout: RemoteLayout,
  command: 'stanza-create' | 'check',
  signal: AbortSignal,
): Promise<void> {
  await shell.run(`pgbackrest ${command}`, pgbackrestScript(layout, STANZA, command), {
    asUser: pre.cluster.osUser,
    signal,
  });
}

/** What the job keeps of a sent script: its name, user and hashes (never its text). */
function sentRecord(sent: SentScript): SentScriptRecord {
  return {
    name: sent.step,
    runAs: sent.runAs,
    sha256: crypto.createHash('sha256').update(sent.text).digest('hex'),
    ...(sent.payloadSha256 ? { payloadSha256: sent.payloadSha256 } : {}),
  };
}

/** Reads the agent bundle to upload. */
export async function readBundle(bundlePath: string): Promise<Buffer> {
  try {
    return await fs.readFile(bundlePath);
  } catch {
    // Only an incomplete installation of the app gets here: a checkout's demo and tests build
    // the bundle first. The admin can act on "reinstall", not on a build command or a path.
    throw new AppError(
      'AGENT_INSTALL_FAILED',
      'This installation of Kumiko Recovery is incomplete: the agent program it installs on servers is missing. Reinstall Kumiko Recovery, then install the agent again.',
    );
  }
}
