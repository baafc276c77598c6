import { isSupportedNodeMajor, nodeMajorOrNull } from '../../../shared/agent/node-support';
import crypto from 'node:crypto';
import { AgentConfig } from '../../../shared/agent/config';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { Server } from '../../../shared/contract';
import { packageBinDirectories, pgMajorOrNull } from '../../../shared/server-values';
import { endpointParts, resticRepositoryUrl } from '../agent-install/config-files';
import { readBundle } from '../agent-install/install-job';
import { remoteLayout, type RemoteLayout } from '../agent-install/layout';
import { ensureRemoteRuntime, runtimeCheckScript } from '../agent-install/remote-runtime';
import { shq, writeFileScript, type RemoteShell } from '../agent-install/remote-shell';
import { UndoStack } from '../agent-install/undo-stack';
import type { AgentCommand } from '../agent-run/remote-scripts';
import { AppError } from '../app-error';
import type { RuntimeSources } from '../node-runtime/resolve-runtime';
import type { RestoreStorageCredentials, StorageCredentials } from '../storage/storage-service';

// Restoring a server's backups onto another host runs the same agent there (issue 15 §1): the
// pinned, hashed bundle and (where the host's Node is older than a supported LTS) the pinned
// Node runtime are uploaded to a folder of their own, and each restore gets a config of its own
// that reaches the source's repository. Its keys are on the host only while the restore runs.

/** Where the restore agent lives on another host: beside, never inside, an installed agent. */
export function restoreHostLayout(root: string): RemoteLayout {
  // Swapped on the layout of '/', then put under `root`: a root whose own name holds
  // "kumiko-agent" (a test's temp folder) stays as it is.
  const base = root === '/' ? '' : root.replace(/\/+$/, '');
  return Object.fromEntries(
    Object.entries(remoteLayout('/')).map(([key, value]) => [
      key,
      `${base}${value.replace(/\/kumiko-agent(?=\/|$)/, '/kumiko-restore')}`,
    ]),
  ) as unknown as RemoteLayout;
}

/** What restoring another server's backups onto this host needs from the app. */
export interface OtherHostInput {
  shell: RemoteShell;
  host: Server;
  /** Layout root ('/' in production; a private folder per test). */
  remoteRoot: string;
  sourceServerId: string;
  sourceName: string;
  stanza: string;
  /** PostgreSQL major version of the backup: the host needs these binaries. */
  pgMajor: string;
  /** The source agent's public key (OpenSSH line), pinned at install: verifies manifests. */
  verifyKey: string;
  /** The read-only restore key when one is saved (then restic reads without locks). */
  storage: RestoreStorageCredentials;
  /** Repository secrets from the app's secret store; on the host only during the restore. */
  cipherPass: string;
  resticPassword: string | null;
  bundlePath: string;
  runtime: RuntimeSources;
}

/** The files in a restore's config folder that hold repository keys. */
const KEY_FILES = { pgbackrest: 'pgbackrest.conf', restic: 'restic.pass' } as const;

/**
 * Takes a restore's repository access back on its host: the key files, or (`all`: its cluster
 * became the host's own, a rebuild) the whole config folder.
 */
export function removeAccessScript(configDir: string, all: boolean): string {
  if (all) return `rm -rf ${shq(configDir)}`;
  return `rm -f ${shq(`${configDir}/${KEY_FILES.pgbackrest}`)} ${shq(`${configDir}/${KEY_FILES.restic}`)}`;
}

/** The host, ready to run the restore agent, and how to give and take back repository access. */
export interface PreparedHost {
  agent: AgentCommand;
  /** The restore's own folder (config, keys): removed when the environment is dropped. */
  configDir: string;
  /** Writes the restore's config and the repository keys. */
  provision(signal?: AbortSignal): Promise<void>;
  /**
   * Deletes the keys; the config stays, without them, for `scratch-drop`. `all`: the restore's
   * cluster became the host's own (a rebuild), so nothing needs the folder any more.
   */
  unprovision(options?: { all?: boolean }): Promise<void>;
}

/**
 * A pgBackRest config that reads the source server's repository (the settings the agent
 * installer writes there: S3, path, client-side encryption). Holds the S3 key and the cipher
 * passphrase: the cluster's OS user's, mode 0600, in the restore's root-owned folder, deleted
 * once the restore is done.
 */
export function hostRepositoryConfig(options: {
  sourceServerId: string;
  stanza: string;
  storage: StorageCredentials;
  cipherPass: string;
  caFile: string | null;
  stateDir: string;
  cpuCount: number;
}): string {
  const { host, port, isAws } = endpointParts(options.storage.endpoint);
  const global: [string, string | number][] = [
    ['repo1-type', 's3'],
    ['repo1-path', bucketLayout.pgbackrestPath(options.sourceServerId)],
    ['repo1-s3-endpoint', host],
    ['repo1-s3-bucket', options.storage.bucket],
    ['repo1-s3-region', options.storage.region],
    ['repo1-s3-key', options.storage.accessKeyId],
    ['repo1-s3-key-secret', options.storage.secretAccessKey],
    ['repo1-s3-uri-style', isAws ? 'host' : 'path'],
    ['repo1-cipher-type', 'aes-256-cbc'],
    ['repo1-cipher-pass', options.cipherPass],
    ['process-max', Math.max(1, Math.min(options.cpuCount, 4))],
    // Asynchronous archive-get fetches WAL ahead of replay, as on the source server. Every run
    // of the agent passes the scratch environment's own lock, log and spool paths.
    ['archive-async', 'y'],
    ['spool-path', `${options.stateDir}/spool`],
    ['lock-path', `${options.stateDir}/lock`],
    ['log-path', `${options.stateDir}/log`],
    ['log-level-console', 'warn'],
    ['log-level-file', 'info'],
  ];
  if (port !== 443) global.push(['repo1-storage-port', port]);
  if (options.caFile) global.push(['repo1-storage-ca-file', options.caFile]);
  const render = (name: string, entries: [string, string | number][]) =>
    [`[${name}]`, ...entries.map(([k, v]) => `${k}=${v}`)].join('\n');
  return `${render('global', global)}\n\n${render(options.stanza, [['pg1-path', `${options.stateDir}/scratch`]])}\n`;
}

/**
 * Checks the host (pgBackRest, PostgreSQL binaries of the backup's major version from a package
 * folder, the postgres user, Node), uploads the agent bundle (and Node runtime where needed),
 * both checked by SHA-256 on the host, and returns the agent command of restore `id`.
 * @throws AppError RESTORE_FAILED naming what the host lacks.
 */
export async function prepareOtherHost(
  input: OtherHostInput,
  id: string,
  signal?: AbortSignal,
): Promise<PreparedHost> {
  const { shell, host } = input;
  // The major version was read from the source server's PG_VERSION at install: it names the
  // folder whose programs this host runs, so it must be digits and the folder a package's.
  const pgMajor = pgMajorOrNull(input.pgMajor);
  if (pgMajor === null) {
    throw new AppError(
      'RESTORE_FAILED',
      `The backup's PostgreSQL version "${input.pgMajor}" is no major version number: no binaries on ${host.name} are chosen from it.`,
    );
  }
  const packaged = packageBinDirectories(pgMajor);
  const layout = restoreHostLayout(input.remoteRoot);
  // Read beside the probe: the agent program is compared with what the host has.
  const bundleRead = readBundle(input.bundlePath);
  bundleRead.catch(() => undefined);
  // One round trip: what the host has, its folders for the restore agent once it has what a
  // restore needs, the runtime and agent program already there.
  const probe = await shell.run(
    'check the destination host',
    [
      'set +e',
      'pgbackrest=$(command -v pgbackrest); echo "pgbackrest=$pgbackrest"',
      'echo "restic=$(command -v restic)"',
      `bin=; for d in ${packaged.map(shq).join(' ')}; do if [ -x "$d/pg_ctl" ]; then bin=$d; break; fi; done; echo "bin=$bin"`,
      'postgres=$(id -u postgres 2>/dev/null); echo "postgres=$postgres"',
      'echo "cpus=$(nproc 2>/dev/null || echo 1)"',
      'if [ -n "$pgbackrest" ] && [ -n "$bin" ] && [ -n "$postgres" ]; then',
      '  set -e',
      ...folderLines(layout),
      '  set +e',
      'fi',
      ...agentStateLines(layout),
    ].join('\n'),
    { signal },
  );
  const bundle = await bundleRead;
  const facts = probeFacts(probe.stdout);
  const missing: string[] = [];
  if (!facts.get('pgbackrest')) missing.push('pgBackRest (package "pgbackrest")');
  const bin = facts.get('bin') ?? '';
  if (!packaged.includes(bin)) missing.push(`PostgreSQL ${pgMajor} server binaries`);
  if (!facts.get('postgres')) missing.push('the "postgres" OS user');
  if (missing.length || facts.get('folders') !== 'ready') {
    throw new AppError(
      'RESTORE_FAILED',
      `${host.name} cannot take this restore: ${missing.join(', ') || 'its folders for the restore agent'} missing. Install them (or set up the agent there) and try again.`,
    );
  }

  const node = await uploadAgent(input, layout, facts, probe.stdout, bundle, signal);

  const configDir = `${layout.stateDir}/restores/${id}`;
  const files = {
    config: `${configDir}/config.json`,
    pgbackrest: `${configDir}/${KEY_FILES.pgbackrest}`,
    restic: `${configDir}/${KEY_FILES.restic}`,
    ca: input.storage.caCertificate ? `${configDir}/storage-ca.pem` : null,
  };
  const config = (withKeys: boolean): AgentConfig =>
    AgentConfig.parse({
      version: 1,
      serverId: input.sourceServerId,
      serverName: input.sourceName.slice(0, 200) || undefined,
      stanza: input.stanza,
      stateDir: layout.stateDir,
      pg: {
        version: pgMajor,
        // The scratch folder must never overlap a cluster of this host: the first the app
        // detected here (the agent refuses an overlap), or none.
        dataDirectory:
          host.detection?.clusters[0]?.dataDirectory ?? `${layout.stateDir}/no-cluster`,
        port: host.detection?.clusters[0]?.port ?? 5432,
        socketDirectory: '/var/run/postgresql',
        binDirectory: bin,
        osUser: 'postgres',
      },
      pgbackrest: { configPath: files.pgbackrest },
      s3: {
        endpoint: input.storage.endpoint,
        bucket: input.storage.bucket,
        region: input.storage.region,
        accessKeyId: withKeys ? input.storage.accessKeyId : '',
        secretAccessKey: withKeys ? input.storage.secretAccessKey : '',
        ...(files.ca ? { caFile: files.ca } : {}),
        prefix: bucketLayout.prefix(input.sourceServerId),
        // A key that may not write cannot take restic's repository lock: reads go without it.
        ...(input.storage.readOnly ? { readOnly: true } : {}),
      },
      restic: {
        repository: resticRepositoryUrl(input.storage, input.sourceServerId),
        passwordFile: files.restic,
        paths: [],
      },
      // No signing key on this host: manifests are verified with the pinned public key.
      signingKeyFile: `${configDir}/no-signing-key`,
      verifyKey: input.verifyKey,
      schedule: {},
      retention: {},
      alerts: {},
    });
  const hasRestic = Boolean(facts.get('restic')) && input.resticPassword !== null;
  return {
    agent: { node, bundle: layout.bundlePath, config: files.config, stateDir: layout.stateDir },
    configDir,
    async provision(signal) {
      const repository = hostRepositoryConfig({
        sourceServerId: input.sourceServerId,
        stanza: input.stanza,
        storage: input.storage,
        cipherPass: input.cipherPass,
        caFile: files.ca,
        stateDir: layout.stateDir,
        cpuCount: Number(facts.get('cpus')) || 1,
      });
      // One script, one round trip (the restore waits for it): the folder, then each file
      // written atomically. pgBackRest runs as postgres: its config is that user's, in root's
      // folder (0711), so postgres can read it but not swap the entry.
      await shell.run(
        'prepare repository access',
        [
          // Its own lines (not `a && b`): under `set -e` a folder that is there already stops
          // the script before a key is written.
          `mkdir -m 711 ${shq(configDir)}`,
          `chown root:root ${shq(configDir)}`,
          files.ca
            ? writeFileScript(files.ca, input.storage.caCertificate as string, { mode: '644' })
            : ':',
          writeFileScript(files.pgbackrest, repository, { owner: 'postgres', mode: '600' }),
          hasRestic ? writeFileScript(files.restic, input.resticPassword as string) : ':',
          writeFileScript(files.config, JSON.stringify(config(true), null, 2)),
        ].join('\n'),
        { signal },
      );
    },
    async unprovision(options = {}) {
      if (options.all) {
        await shell.run('remove the restore config', removeAccessScript(configDir, true));
        return;
      }
      // Both at once (the restore's result waits for them); both end before a failure counts.
      const removed = await Promise.allSettled([
        shell.writeFile(
          'remove repository access',
          files.config,
          JSON.stringify(config(false), null, 2),
        ),
        shell.run('remove repository access', removeAccessScript(configDir, false)),
      ]);
      const failed = removed.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/**
 * The restore agent's folders, root's and traversable (0711), made one command a line: under
 * `set -e` a failed chown of the first folder stops the script (in `a && b` it would not, and
 * root would later run code from that folder).
 */
function folderLines(layout: RemoteLayout): string[] {
  return [
    ...[layout.libDir, layout.stateDir, `${layout.stateDir}/restores`].flatMap((d) => [
      `  mkdir -p ${shq(d)}`,
      `  chown root:root ${shq(d)}`,
      `  chmod 711 ${shq(d)}`,
    ]),
    '  echo "folders=ready"',
  ];
}

/** What the host has of the agent: its machine, its Node, the runtime and the bundle there. */
function agentStateLines(layout: RemoteLayout): string[] {
  return [
    'echo "machine=$(uname -m)"',
    'n=$(command -v node); echo "node=$n"; [ -n "$n" ] && echo "nodeVersion=$("$n" --version 2>/dev/null)"',
    runtimeCheckScript(layout),
    `echo "bundle=$(sha256sum ${shq(layout.bundlePath)} 2>/dev/null | cut -d' ' -f1)"`,
  ];
}

const probeFacts = (stdout: string): Map<string, string> =>
  new Map(
    stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const),
  );

/**
 * The runtime (46 MB on a host without a supported Node) and the agent bundle, each where the
 * probe did not find it, one after the other: the bundle once the runtime's pieces are on the
 * wire, while the host unpacks them (two uploads at once share one connection and slow each
 * other down). Both end before a failure is reported. Resolves the Node that runs the agent.
 */
async function uploadAgent(
  input: Pick<OtherHostInput, 'shell' | 'runtime'>,
  layout: RemoteLayout,
  facts: Map<string, string>,
  probed: string,
  bundle: Buffer,
  signal?: AbortSignal,
): Promise<string> {
  const bundleSha256 = crypto.createHash('sha256').update(bundle).digest('hex');
  let runtimeSent = (): void => undefined;
  const sent = new Promise<void>((resolve) => (runtimeSent = resolve));
  const [runtime, uploaded] = await Promise.allSettled([
    nodeFor(input, layout, facts, probed, runtimeSent, signal).finally(runtimeSent),
    facts.get('bundle') === bundleSha256
      ? Promise.resolve()
      : uploadBundle(input.shell, layout, bundle, bundleSha256, sent, signal),
  ]);
  if (runtime.status === 'rejected') throw runtime.reason;
  if (uploaded.status === 'rejected') throw uploaded.reason;
  return runtime.value;
}

/**
 * Puts the restore agent (its runtime where needed, and the bundle, both checked on the host) on
 * a host whose server packages are still being installed: a rebuild does this while apt runs,
 * so the restore's own probe finds both there and uploads nothing inside the time to recovery.
 * Makes only the agent's own folders, as the restore would.
 */
export async function stageRestoreAgent(
  input: Pick<OtherHostInput, 'shell' | 'remoteRoot' | 'bundlePath' | 'runtime'>,
  signal?: AbortSignal,
): Promise<void> {
  const layout = restoreHostLayout(input.remoteRoot);
  const bundleRead = readBundle(input.bundlePath);
  bundleRead.catch(() => undefined);
  const probe = await input.shell.run(
    'prepare the restore agent',
    ['set -e', ...folderLines(layout), 'set +e', ...agentStateLines(layout)].join('\n'),
    { signal },
  );
  const facts = probeFacts(probe.stdout);
  await uploadAgent(input, layout, facts, probe.stdout, await bundleRead, signal);
}

/**
 * The host's Node when it is a supported LTS (shared/agent/node-support.ts, the rule the agent
 * itself applies), else the pinned runtime, uploaded once and checked by SHA-256 on the host.
 */
async function nodeFor(
  input: Pick<OtherHostInput, 'shell' | 'runtime'>,
  layout: RemoteLayout,
  facts: Map<string, string>,
  /** The probe's output, which holds the runtime check's answers too. */
  probed: string,
  onUploaded: () => void,
  signal?: AbortSignal,
): Promise<string> {
  const found = facts.get('node') ?? '';
  const major = nodeMajorOrNull(facts.get('nodeVersion'));
  if (found.startsWith('/') && isSupportedNodeMajor(major)) return found;
  const runtime = await ensureRemoteRuntime(
    input.shell,
    layout,
    facts.get('machine') ?? '',
    input.runtime,
    // Kept after the restore: the next restore onto this host reuses it.
    new UndoStack(),
    signal ?? new AbortController().signal,
    // prepareOtherHost made the folder, root's and traversable (0711).
    { folderReady: true, onUploaded, checked: probed },
  );
  return runtime.nodePath;
}

/** Uploads the agent bundle (the probe found another or none) and checks its SHA-256 there. */
async function uploadBundle(
  shell: RemoteShell,
  layout: RemoteLayout,
  bundle: Buffer,
  sha256: string,
  /** Settles once the channel is free for it (the runtime's upload ended). */
  turn: Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const check = `[ "$(sha256sum ${shq(layout.bundlePath)} 2>/dev/null | cut -d' ' -f1)" = ${shq(sha256)} ]`;
  await turn;
  await shell.upload('upload the restore agent', layout.bundlePath, bundle, '755', signal);
  const verified = await shell.run('check the restore agent', check, {
    signal,
    allowFailure: true,
  });
  if (verified.code !== 0) {
    throw new AppError(
      'RESTORE_FAILED',
      'The agent program uploaded for the restore does not match its checksum on the host; nothing was restored. Try again.',
    );
  }
}
