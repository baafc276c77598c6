import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { AGENT_INSTALL_PHASES, type AgentInstallSettings } from '../../../shared/contract';
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
import { agentConfig, pgbackrestConfig, type RepositorySecrets } from './config-files';
import type { RemoteLayout } from './layout';
import { alterSystem, reload, restart } from './postgres-control';
import {
  hasUsableNode,
  restartRequired,
  runPreflight,
  targetSettings,
  type AgentPreflight,
  type ManagedSetting,
  type Preflight,
} from './preflight';
import { installPackages } from './packages';
import { ensureRemoteRuntime } from './remote-runtime';
import { RemoteShell, shq } from './remote-shell';
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
}

export const repositorySecretNames = (serverId: string) => ({
  cipherPass: `agent:${serverId}:pgbackrest-cipher-pass`,
  resticPassword: `agent:${serverId}:restic-password`,
});

const STANZA = 'main';
const NODE_RUNTIME_MAJOR = Number(NODE_RUNTIME_VERSION.split('.')[0]);

/**
 * Installs (or re-installs) the agent. Every change is recorded on an undo stack; a failure
 * or a cancel at any step restores the server: PostgreSQL settings back (with a restart
 * only if install restarted it), scheduler stopped, files removed. Backups already in the
 * bucket are never touched.
 */
export async function runInstall(ctx: InstallContext): Promise<InstalledAgent> {
  const { request, layout, job } = ctx;
  const shell = new RemoteShell(ctx.ssh, ctx.isRoot);
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
    const publicKey = await writeFiles(shell, ctx, pre, secrets, signal);

    current = 'stanza';
    step('stanza');
    // pgBackRest reports an unreachable repository only after its retries (~40 s); the
    // phase name tells the admin what is being waited for.
    await pgbackrest(shell, pre, layout, 'stanza-create', signal);

    current = 'archiving';
    step('archiving');
    await backupSettings(shell, pre, layout, signal);
    const changes = changedSettings(pre.settings, target);
    if (Object.keys(changes).length > 0) {
      undo.push('restore PostgreSQL settings', async () => {
        await alterSystem(shell, pre, previousValues(pre.settings, changes));
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
    if (request.attachedPaths.length > 0) await resticInit(shell, pre, ctx, signal);

    current = 'first-backup';
    step('first-backup');
    await shell.run(
      'first recovery point',
      `${shq(pre.nodePath)} ${shq(layout.bundlePath)} snapshot --config ${shq(layout.configPath)}`,
      { signal },
    );

    current = 'schedule';
    step('schedule');
    undo.push('stop the agent scheduler', () => stopScheduler(shell, pre, layout));
    const scheduler = await startScheduler(shell, pre, layout, signal);

    current = 'verify';
    step('verify');
    // The scheduler's own first heartbeat proves it runs; running one from here as well would
    // only race it for the agent's lock.
    await shell.run(
      'first heartbeat',
      [
        `hb=${shq(`${layout.stateDir}/heartbeat.json`)}`,
        // Since the supervisor started (its pid file), or now under systemd.
        `since=$(stat -c %Y ${shq(`${layout.stateDir}/agent.pid`)} 2>/dev/null || date +%s)`,
        'for i in $(seq 1 180); do',
        '  if [ -f "$hb" ] && [ "$(stat -c %Y "$hb")" -ge "$since" ]; then exit 0; fi',
        '  sleep 0.5',
        'done',
        'echo "the agent wrote no heartbeat within 90 s; see its log in the state folder" >&2',
        'exit 1',
      ].join('\n'),
      { signal },
    );
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
      },
      installedAt: new Date().toISOString(),
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
  if (!cipherPass) {
    cipherPass = crypto.randomBytes(36).toString('base64url');
    await store.set(names.cipherPass, cipherPass);
  }
  if (!resticPassword) {
    resticPassword = crypto.randomBytes(36).toString('base64url');
    await store.set(names.resticPassword, resticPassword);
  }
  return { cipherPass, resticPassword };
}

async function writeFiles(
  shell: RemoteShell,
  ctx: InstallContext,
  pre: AgentPreflight,
  secrets: RepositorySecrets,
  signal: AbortSignal,
): Promise<string> {
  const { layout, request, storage } = ctx;
  const owner = shq(pre.cluster.osUser);
  await shell.run(
    'create agent folders',
    [
      `mkdir -p ${shq(layout.etcDir)} ${shq(layout.libDir)} ${shq(layout.stateDir)}`,
      `chmod 755 ${shq(layout.etcDir)} ${shq(layout.libDir)}`,
      `chmod 711 ${shq(layout.stateDir)}`,
      `mkdir -p ${shq(layout.spoolPath)} ${shq(layout.lockPath)} ${shq(layout.logPath)}`,
      `chown ${owner}: ${shq(layout.spoolPath)} ${shq(layout.lockPath)} ${shq(layout.logPath)}`,
    ].join('\n'),
    { signal },
  );
  if (storage.caCertificate) {
    await shell.writeFile('write CA file', layout.caFilePath, storage.caCertificate, {
      mode: '644',
      signal,
    });
  }
  await shell.writeFile(
    'write pgBackRest config',
    layout.pgbackrestConfigPath,
    pgbackrestConfig(request.serverId, STANZA, pre, layout, storage, secrets),
    { owner: pre.cluster.osUser, mode: '600', signal },
  );
  await shell.writeFile(
    'write restic password',
    layout.resticPasswordPath,
    secrets.resticPassword,
    { signal },
  );
  const config = agentConfig(request, ctx.serverName, STANZA, pre, layout, storage);
  await shell.writeFile('write agent config', layout.configPath, JSON.stringify(config, null, 2), {
    signal,
  });
  await shell.upload('upload agent', layout.bundlePath, ctx.bundle, '755', signal);
  // The agent's signing key is made on the server and never leaves it; the app pins the
  // public half.
  const key = await shell.run(
    'create agent signing key',
    `${shq(pre.nodePath)} -e ${shq(
      "const c=require('crypto'),fs=require('fs');const f=process.argv[1];" +
        "if(!fs.existsSync(f)){const k=c.generateKeyPairSync('ed25519');" +
        "fs.writeFileSync(f,k.privateKey.export({type:'pkcs8',format:'pem'}),{mode:0o600});}" +
        "process.stdout.write(c.createPublicKey(fs.readFileSync(f)).export({format:'jwk'}).x);",
    )} ${shq(layout.signingKeyPath)}`,
    { signal },
  );
  const raw = Buffer.from(key.stdout.trim(), 'base64url');
  if (raw.length !== 32)
    throw new AppError('AGENT_INSTALL_FAILED', 'The agent key is not an Ed25519 key.');
  return openSshPublicKeyLine(raw, `kumiko-agent@${request.serverId}`);
}

async function pgbackrest(
  shell: RemoteShell,
  pre: Preflight,
  layout: RemoteLayout,
  command: string,
  signal: AbortSignal,
): Promise<void> {
  // A short io-timeout: with the bucket unreachable pgBackRest otherwise retries for minutes
  // before saying so; these commands move only small files.
  await shell.run(
    `pgbackrest ${command}`,
    `pgbackrest --config=${shq(layout.pgbackrestConfigPath)} --stanza=${STANZA} --io-timeout=10 ${command}`,
    {
      asUser: pre.cluster.osUser,
      signal,
    },
  );
}

async function backupSettings(
  shell: RemoteShell,
  pre: Preflight,
  layout: RemoteLayout,
  signal: AbortSignal,
): Promise<void> {
  // Kept from the first install only: a re-install must not overwrite the true original.
  await shell.writeFile(
    'record original settings',
    `${layout.settingsBackupPath}.new`,
    JSON.stringify({ settings: pre.settings, recordedAt: new Date().toISOString() }),
    { signal },
  );
  await shell.run(
    'record original settings',
    `if [ -f ${shq(layout.settingsBackupPath)} ]; then rm -f ${shq(`${layout.settingsBackupPath}.new`)}; else mv ${shq(`${layout.settingsBackupPath}.new`)} ${shq(layout.settingsBackupPath)}; fi`,
    { signal },
  );
}

function changedSettings(
  current: Record<ManagedSetting, string>,
  target: Record<ManagedSetting, string>,
): Partial<Record<ManagedSetting, string>> {
  const changes: Partial<Record<ManagedSetting, string>> = {};
  for (const name of Object.keys(target) as ManagedSetting[]) {
    if (current[name] !== target[name]) changes[name] = target[name];
  }
  return changes;
}

function previousValues(
  current: Record<ManagedSetting, string>,
  changes: Partial<Record<ManagedSetting, string>>,
): Partial<Record<ManagedSetting, string>> {
  const previous: Partial<Record<ManagedSetting, string>> = {};
  for (const name of Object.keys(changes) as ManagedSetting[]) previous[name] = current[name];
  return previous;
}

async function resticInit(
  shell: RemoteShell,
  pre: Preflight,
  ctx: InstallContext,
  signal: AbortSignal,
): Promise<void> {
  const config = agentConfig(ctx.request, ctx.serverName, STANZA, pre, ctx.layout, ctx.storage);
  const env = [
    `export AWS_ACCESS_KEY_ID=${shq(ctx.storage.accessKeyId)}`,
    `export AWS_SECRET_ACCESS_KEY=${shq(ctx.storage.secretAccessKey)}`,
    `export RESTIC_REPOSITORY=${shq(config.restic.repository)}`,
    `export RESTIC_PASSWORD_FILE=${shq(ctx.layout.resticPasswordPath)}`,
  ];
  const cacert = ctx.storage.caCertificate ? ` --cacert ${shq(ctx.layout.caFilePath)}` : '';
  // Idempotent: an existing repository (re-install) is used as it is.
  await shell.run(
    'restic init',
    [...env, `if ! restic${cacert} cat config >/dev/null 2>&1; then restic${cacert} init; fi`].join(
      '\n',
    ),
    { signal },
  );
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
