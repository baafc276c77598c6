import crypto from 'node:crypto';
import type {
  AgentInstallSettings,
  InstallScript,
  InstallScriptId,
} from '../../../shared/contract';
import type { StorageCredentials } from '../storage/storage-service';
import {
  createFoldersScript,
  firstBackupScript,
  installFiles,
  installFileScript,
  keepFirstSettingsScript,
  pgbackrestScript,
  recordSettingsScript,
  redactedInputs,
  resticInitScript,
  signingKeyScript,
  waitHeartbeatScript,
  type InstallFile,
} from './install-scripts';
import type { RemoteLayout } from './layout';
import { packageScripts } from './packages';
import { alterSystemScript, reloadScript, restartScript } from './postgres-control';
import {
  changedSettings,
  preflightScript,
  readSettingsScript,
  restartRequired,
  targetSettings,
  type Preflight,
} from './preflight';
import type { RuntimePack } from '../node-runtime/runtime-pack';
import { runtimeCheckScript, runtimeFolderScript, runtimeInstallScript } from './remote-runtime';
import { scriptBody, uploadScript } from './remote-shell';
import { schedulerScripts, type SchedulerStep } from './scheduler';
import { SCRIPT_CATALOG } from './script-catalog';

export interface PlanScriptsInput {
  /** The preflight as run (the server's own node, if any). */
  found: Preflight;
  dataDirectory: string;
  layout: RemoteLayout;
  request: AgentInstallSettings;
  serverName: string;
  /** Secrets in it are never used: they are swapped for placeholders first. */
  storage: StorageCredentials;
  stanza: string;
  /** The login is root (scripts go to `sh -s`) rather than a sudo user (`sudo -n sh -s`). */
  isRoot: boolean;
  /** The agent program's size and SHA-256. */
  bundle: { bytes: number; sha256: string };
  /** The Node.js runtime to upload, when the server has no supported Node of its own. */
  runtime: { pack: RuntimePack; marker: string; nodePath: string } | null;
  /** The app's public key the agent verifies GDPR ledger entries with (shown as it is). */
  ledgerSignerKey: string;
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * Every script install sends, in the job's order, built by the same functions the job calls,
 * with every secret replaced by its placeholder; `sha256` is of the text shown. The job
 * records the same hash of each script it sends (install-job.ts), so a test can compare.
 * Scripts that undo a failed install are not listed (they are uninstall's).
 */
export function planScripts(input: PlanScriptsInput): InstallScript[] {
  const { found, layout, isRoot } = input;
  const osUser = found.cluster.osUser;
  const sudo = isRoot ? '' : 'sudo -n ';
  const out: InstallScript[] = [];
  const add = (
    id: InstallScriptId,
    script: string,
    options: {
      asClusterUser?: boolean;
      upload?: { name: string; bytes: number; sha256: string };
      onlyIfRuntimeDiffers?: boolean;
    } = {},
  ) => {
    const meta = SCRIPT_CATALOG[id];
    const cluster = options.asClusterUser === true;
    const text = options.upload ? script : scriptBody(script);
    out.push({
      id,
      name: meta.name,
      runAs: cluster ? 'cluster-user' : 'root',
      osUser: cluster ? osUser : 'root',
      what: meta.what,
      whyRoot: cluster ? null : meta.whyRoot,
      kind: options.upload ? 'upload' : 'stdin',
      command: options.upload
        ? `${sudo}sh -c <script>`
        : cluster
          ? `${sudo}runuser -u ${osUser} -- sh -s`
          : `${sudo}sh -s`,
      script: text,
      sha256: sha256(text),
      ...(options.upload ? { payload: options.upload } : {}),
      ...(options.onlyIfRuntimeDiffers ? { onlyIfRuntimeDiffers: true } : {}),
    });
  };

  add('preflight', preflightScript(input.dataDirectory, layout));
  add('read-settings', readSettingsScript(found.cluster), { asClusterUser: true });
  for (const step of packageScripts(found)) {
    add(
      step.name === 'install packages' ? 'install-packages' : 'install-optional-packages',
      step.script,
    );
  }
  const runtime = input.runtime;
  if (runtime) {
    add('check-runtime', runtimeCheckScript(layout));
    add('create-runtime-folder', runtimeFolderScript(layout), { onlyIfRuntimeDiffers: true });
    add('upload-runtime', runtimeInstallScript(layout, runtime.pack, runtime.marker), {
      upload: {
        name: `Node.js runtime (bin/node and its licence in ${runtime.pack.pieces.length} gzip pieces)`,
        bytes: runtime.pack.gzBytes,
        sha256: runtime.pack.payloadSha256,
      },
      onlyIfRuntimeDiffers: true,
    });
  }
  const nodePath = runtime?.nodePath ?? found.nodePath ?? 'node';
  const inputs = redactedInputs({
    pre: { ...found, nodePath },
    layout,
    request: input.request,
    serverName: input.serverName,
    storage: input.storage,
    secrets: { cipherPass: '', resticPassword: '', ledgerKey: '' },
    stanza: input.stanza,
    ledgerSignerKey: input.ledgerSignerKey,
  });
  add('create-folders', createFoldersScript(inputs));
  for (const file of installFiles(inputs)) add(FILE_IDS[file.name], installFileScript(file));
  add('upload-agent', uploadScript(layout.bundlePath, input.bundle.bytes, '755'), {
    upload: { name: 'kumiko-agent.cjs', ...input.bundle },
  });
  add('create-signing-key', signingKeyScript(inputs));
  add('stanza-create', pgbackrestScript(layout, input.stanza, 'stanza-create'), {
    asClusterUser: true,
  });
  const target = targetSettings(layout, input.stanza);
  const changes = changedSettings(found.settings, target);
  add('record-settings', recordSettingsScript(found, layout, changes));
  add('keep-first-settings', keepFirstSettingsScript(layout));
  if (Object.keys(changes).length > 0) {
    add('change-settings', alterSystemScript(found, changes), { asClusterUser: true });
    if (restartRequired(found.settings, target)) add('restart-postgres', restartScript(found));
    else add('reload-postgres', reloadScript(found), { asClusterUser: true });
  }
  add('check-archiving', pgbackrestScript(layout, input.stanza, 'check'), { asClusterUser: true });
  if (input.request.attachedPaths.length > 0) add('restic-init', resticInitScript(inputs));
  add('first-backup', firstBackupScript(inputs));
  for (const step of schedulerScripts(inputs.pre, layout))
    add(SCHEDULER_IDS[step.name], step.script);
  add('wait-heartbeat', waitHeartbeatScript(layout));
  return out;
}

const FILE_IDS: Record<InstallFile['name'], InstallScriptId> = {
  'write CA file': 'write-ca',
  'write pgBackRest config': 'write-pgbackrest-config',
  'write restic password': 'write-restic-password',
  'write agent config': 'write-agent-config',
};

const SCHEDULER_IDS: Record<SchedulerStep['name'], InstallScriptId> = {
  'write systemd unit': 'write-systemd-unit',
  'start agent service': 'start-service',
  'start agent daemon': 'start-daemon',
};
