import type { AgentInstallSettings } from '../../../shared/contract';
import type { StorageCredentials } from '../storage/storage-service';
import { agentConfig, pgbackrestConfig, type RepositorySecrets } from './config-files';
import type { RemoteLayout } from './layout';
import type { AgentPreflight, ManagedSetting, Preflight } from './preflight';
import { priorSettingsRecord } from './prior-settings';
import { shq, writeFileScript } from './remote-shell';

/**
 * The scripts of install-job.ts that are not some other module's (packages, runtime, settings,
 * scheduler): one function per step, called both by the job (to send) and by the plan (to show
 * and hash). Everything a script says comes from these inputs, so the plan cannot drift from
 * what runs; secrets only from `storage`, `secrets` and `request.alerts`, which
 * {@link redactedInputs} swaps for placeholders.
 */
export interface ScriptInputs {
  /** The preflight, with `nodePath` the node that runs the agent (the server's or uploaded). */
  pre: AgentPreflight;
  layout: RemoteLayout;
  request: AgentInstallSettings;
  serverName: string;
  storage: StorageCredentials;
  secrets: RepositorySecrets;
  stanza: string;
  /** The app's public key (OpenSSH line) the agent verifies GDPR ledger entries with. */
  ledgerSignerKey: string;
}

/** The placeholders a shown script has where the sent one has a secret. */
export const SECRET_PLACEHOLDERS = {
  s3AccessKeyId: '<secret: S3 access key ID>',
  s3SecretAccessKey: '<secret: S3 secret key>',
  cipherPass: '<secret: pgBackRest repository passphrase>',
  resticPassword: '<secret: restic repository password>',
  ledgerKey: '<secret: GDPR ledger key>',
  smtpPassword: '<secret: SMTP password>',
  // URLs: the agent's config schema wants one; the token in a webhook URL is the secret.
  webhookUrl: 'https://redacted.invalid/<secret: webhook URL>',
  pushMonitorUrl: 'https://redacted.invalid/<secret: push monitor URL>',
} as const;

/** `inputs` with every secret replaced by its placeholder: what the plan shows and hashes. */
export function redactedInputs(inputs: ScriptInputs): ScriptInputs {
  const { alerts } = inputs.request;
  return {
    ...inputs,
    storage: {
      ...inputs.storage,
      accessKeyId: SECRET_PLACEHOLDERS.s3AccessKeyId,
      secretAccessKey: SECRET_PLACEHOLDERS.s3SecretAccessKey,
    },
    secrets: {
      cipherPass: SECRET_PLACEHOLDERS.cipherPass,
      resticPassword: SECRET_PLACEHOLDERS.resticPassword,
      ledgerKey: SECRET_PLACEHOLDERS.ledgerKey,
    },
    request: {
      ...inputs.request,
      alerts: {
        ...alerts,
        ...(alerts.smtp
          ? {
              smtp: {
                ...alerts.smtp,
                ...(alerts.smtp.password === undefined
                  ? {}
                  : { password: SECRET_PLACEHOLDERS.smtpPassword }),
              },
            }
          : {}),
        webhooks: alerts.webhooks.map((hook) => ({ ...hook, url: SECRET_PLACEHOLDERS.webhookUrl })),
        ...(alerts.pushMonitorUrl === undefined
          ? {}
          : { pushMonitorUrl: SECRET_PLACEHOLDERS.pushMonitorUrl }),
      },
    },
  };
}

/** The agent's folders: /etc and /opt parts root-only writable, spool/lock/log the cluster user's. */
export function createFoldersScript({ pre, layout }: ScriptInputs): string {
  const owner = shq(pre.cluster.osUser);
  return [
    `mkdir -p ${shq(layout.etcDir)} ${shq(layout.libDir)} ${shq(layout.stateDir)}`,
    `chmod 755 ${shq(layout.etcDir)} ${shq(layout.libDir)}`,
    `chmod 711 ${shq(layout.stateDir)}`,
    `mkdir -p ${shq(layout.spoolPath)} ${shq(layout.lockPath)} ${shq(layout.logPath)}`,
    `chown ${owner}: ${shq(layout.spoolPath)} ${shq(layout.lockPath)} ${shq(layout.logPath)}`,
  ].join('\n');
}

/** The files install writes, in order, with owner and mode (content may hold secrets). */
export interface InstallFile {
  name:
    'write CA file' | 'write pgBackRest config' | 'write restic password' | 'write agent config';
  path: string;
  content: string;
  owner?: string;
  mode: string;
}

export function installFiles(inputs: ScriptInputs): InstallFile[] {
  const { layout, request, storage, secrets, pre, stanza } = inputs;
  const config = agentConfig(request, inputs.serverName, stanza, pre, layout, storage, {
    ledgerKey: secrets.ledgerKey,
    signerKey: inputs.ledgerSignerKey,
  });
  return [
    ...(storage.caCertificate
      ? [
          {
            name: 'write CA file' as const,
            path: layout.caFilePath,
            content: storage.caCertificate,
            mode: '644',
          },
        ]
      : []),
    {
      name: 'write pgBackRest config',
      path: layout.pgbackrestConfigPath,
      content: pgbackrestConfig(request.serverId, stanza, pre, layout, storage, secrets),
      // archive_command runs pgBackRest as the cluster's OS user: it must read this file.
      owner: pre.cluster.osUser,
      mode: '600',
    },
    {
      name: 'write restic password',
      path: layout.resticPasswordPath,
      content: secrets.resticPassword,
      mode: '600',
    },
    {
      name: 'write agent config',
      path: layout.configPath,
      content: JSON.stringify(config, null, 2),
      mode: '600',
    },
  ];
}

/** The script of one {@link InstallFile}. */
export function installFileScript(file: InstallFile): string {
  return writeFileScript(file.path, file.content, {
    mode: file.mode,
    ...(file.owner ? { owner: file.owner } : {}),
  });
}

/**
 * Makes the agent's Ed25519 signing key on the server (once; a re-install keeps it) and prints
 * its public half. The private key never leaves the server; the app pins the public one.
 */
export function signingKeyScript({ pre, layout }: ScriptInputs): string {
  return `${shq(pre.nodePath)} -e ${shq(
    "const c=require('crypto'),fs=require('fs');const f=process.argv[1];" +
      "if(!fs.existsSync(f)){const k=c.generateKeyPairSync('ed25519');" +
      "fs.writeFileSync(f,k.privateKey.export({type:'pkcs8',format:'pem'}),{mode:0o600});}" +
      "process.stdout.write(c.createPublicKey(fs.readFileSync(f)).export({format:'jwk'}).x);",
  )} ${shq(layout.signingKeyPath)}`;
}

/**
 * A pgBackRest command against the agent's stanza, run as the cluster's OS user. A short
 * io-timeout: with the bucket unreachable pgBackRest otherwise retries for minutes before
 * saying so; these commands move only small files.
 */
export function pgbackrestScript(
  layout: RemoteLayout,
  stanza: string,
  command: 'stanza-create' | 'check',
): string {
  return `pgbackrest --config=${shq(layout.pgbackrestConfigPath)} --stanza=${stanza} --io-timeout=10 ${command}`;
}

/**
 * The original settings, recorded for uninstall ({@link PriorSettings}): root-owned, mode 600,
 * in the agent's state folder, which the cluster's OS user cannot write. Deliberately without
 * a timestamp: the same server gives the same script (and SHA-256) in the plan and in the job.
 */
export function recordSettingsScript(
  pre: Preflight,
  layout: RemoteLayout,
  changes: Partial<Record<ManagedSetting, string>>,
): string {
  return writeFileScript(
    `${layout.settingsBackupPath}.new`,
    JSON.stringify(priorSettingsRecord(pre, changes)),
  );
}

/**
 * Keeps the record of the first install only: a re-install must not overwrite the true
 * original. Prints the record kept, for the app's copy.
 */
export function keepFirstSettingsScript(layout: RemoteLayout): string {
  const next = shq(`${layout.settingsBackupPath}.new`);
  const kept = shq(layout.settingsBackupPath);
  return `if [ -f ${kept} ]; then rm -f ${next}; else mv ${next} ${kept}; fi\ncat ${kept}`;
}

/** Makes the restic repository for attached files, idempotently (a re-install uses it as is). */
export function resticInitScript(inputs: ScriptInputs): string {
  const { layout, storage } = inputs;
  const config = agentConfig(
    inputs.request,
    inputs.serverName,
    inputs.stanza,
    inputs.pre,
    layout,
    storage,
  );
  const cacert = storage.caCertificate ? ` --cacert ${shq(layout.caFilePath)}` : '';
  return [
    `export AWS_ACCESS_KEY_ID=${shq(storage.accessKeyId)}`,
    `export AWS_SECRET_ACCESS_KEY=${shq(storage.secretAccessKey)}`,
    `export RESTIC_REPOSITORY=${shq(config.restic.repository)}`,
    `export RESTIC_PASSWORD_FILE=${shq(layout.resticPasswordPath)}`,
    `if ! restic${cacert} cat config >/dev/null 2>&1; then restic${cacert} init; fi`,
  ].join('\n');
}

/** The first recovery point: the agent's own snapshot command, as the scheduler would run it. */
export function firstBackupScript({ pre, layout }: ScriptInputs): string {
  return `${shq(pre.nodePath)} ${shq(layout.bundlePath)} snapshot --config ${shq(layout.configPath)}`;
}

/**
 * Waits for the scheduler's own first heartbeat, which proves it runs; running one from here
 * as well would only race it for the agent's lock.
 */
export function waitHeartbeatScript(layout: RemoteLayout): string {
  return [
    `hb=${shq(`${layout.stateDir}/heartbeat.json`)}`,
    // Since the supervisor started (its pid file), or now under systemd.
    `since=$(stat -c %Y ${shq(`${layout.stateDir}/agent.pid`)} 2>/dev/null || date +%s)`,
    'for i in $(seq 1 180); do',
    '  if [ -f "$hb" ] && [ "$(stat -c %Y "$hb")" -ge "$since" ]; then exit 0; fi',
    '  sleep 0.5',
    'done',
    'echo "the agent wrote no heartbeat within 90 s; see its log in the state folder" >&2',
    'exit 1',
  ].join('\n');
}
