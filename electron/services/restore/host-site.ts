import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { Server } from '../../../shared/contract';
import { packageBinDirectories, pgMajorOrNull } from '../../../shared/server-values';
import { AppError } from '../app-error';
import type { StorageCredentials } from '../storage/storage-service';
import { shq, type RestoreShell } from './restore-shell';
import type { RestoreSite } from './restore-site';
import { scratchPaths } from './scratch-paths';

/** What restoring another server's backups onto this host needs from the app. */
export interface HostSiteInput {
  shell: RestoreShell;
  host: Server;
  /** The environment being created: the temporary repository files go into its folder. */
  scratchId: string;
  /** Same layout root the app installs agents under ('/' in production). */
  scratchRoot: string;
  sourceServerId: string;
  stanza: string;
  /** PostgreSQL major version of the backup: the host needs these binaries. */
  pgMajor: string;
  storage: StorageCredentials;
  /** Repository secrets from the app's secret store; written to the host only for the restore. */
  cipherPass: string;
  resticPassword: string | null;
}

function endpointParts(endpoint: string): { host: string; port: number; isAws: boolean } {
  const url = new URL(endpoint);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 443,
    isAws: url.hostname.endsWith('.amazonaws.com'),
  };
}

/**
 * A pgBackRest config that reads the source server's repository (the same settings the agent
 * installer writes there: S3, path, client-side encryption) with the scratch environment's own
 * lock, log and spool folders. Holds the S3 key and the cipher passphrase: mode 0600, deleted
 * once the scratch cluster is promoted.
 */
export function hostRepositoryConfig(options: {
  sourceServerId: string;
  stanza: string;
  storage: StorageCredentials;
  cipherPass: string;
  caFile: string | null;
  dataDirectory: string;
  lockPath: string;
  logPath: string;
  spoolPath: string;
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
    // Asynchronous archive-get fetches WAL ahead of replay, as on the source server.
    ['archive-async', 'y'],
    ['spool-path', options.spoolPath],
    ['lock-path', options.lockPath],
    ['log-path', options.logPath],
    ['log-level-console', 'warn'],
    ['log-level-file', 'info'],
  ];
  if (port !== 443) global.push(['repo1-storage-port', port]);
  if (options.caFile) global.push(['repo1-storage-ca-file', options.caFile]);
  const render = (name: string, entries: [string, string | number][]) =>
    [`[${name}]`, ...entries.map(([k, v]) => `${k}=${v}`)].join('\n');
  return `${render('global', global)}\n\n${render(options.stanza, [['pg1-path', options.dataDirectory]])}\n`;
}

/** The restic repository URL the agent installer configures for a server's attached files. */
export function resticRepositoryUrl(storage: StorageCredentials, sourceServerId: string): string {
  const { host, port } = endpointParts(storage.endpoint);
  return `s3:https://${host}${port === 443 ? '' : `:${port}`}/${storage.bucket}/${bucketLayout.resticPath(sourceServerId)}`;
}

/**
 * Describes another server as the destination of a restore: checks that pgBackRest and
 * PostgreSQL binaries of the backup's major version are there, avoids every cluster the app
 * detected on it, and prepares the temporary repository access the job writes into the
 * environment (`provision`) and deletes after promotion (`unprovision`).
 */
export async function readHostSite(
  input: HostSiteInput,
  signal?: AbortSignal,
): Promise<RestoreSite> {
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
  const probe = await shell.run(
    'check the destination host',
    [
      'set +e',
      'echo "pgbackrest=$(command -v pgbackrest)"',
      'echo "restic=$(command -v restic)"',
      `for d in ${packaged.map(shq).join(' ')}; do if [ -x "$d/pg_ctl" ]; then echo "bin=$d"; break; fi; done`,
      'echo "postgres=$(id -u postgres 2>/dev/null)"',
      'echo "cpus=$(nproc 2>/dev/null || echo 1)"',
    ].join('\n'),
    { signal },
  );
  const facts = new Map(
    probe.stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const),
  );
  const missing: string[] = [];
  if (!facts.get('pgbackrest')) missing.push('pgBackRest (package "pgbackrest")');
  if (!packaged.includes(facts.get('bin') ?? ''))
    missing.push(`PostgreSQL ${pgMajor} server binaries`);
  if (!facts.get('postgres')) missing.push('the "postgres" OS user');
  if (missing.length) {
    throw new AppError(
      'RESTORE_FAILED',
      `${host.name} cannot take this restore: ${missing.join(', ')} missing. Install them (or set up the agent there) and try again.`,
    );
  }
  const paths = scratchPaths(input.scratchRoot, input.scratchId);
  const repoDir = `${paths.root}/repo`;
  const configPath = `${repoDir}/pgbackrest.conf`;
  const caFile = input.storage.caCertificate ? `${repoDir}/storage-ca.pem` : null;
  const passwordFile = `${repoDir}/restic.pass`;
  const hasRestic = Boolean(facts.get('restic')) && input.resticPassword !== null;
  return {
    shell,
    osUser: 'postgres',
    pgVersion: pgMajor,
    binDirectory: facts.get('bin') as string,
    pgbackrestConfigPath: configPath,
    stanza: input.stanza,
    scratchRoot: input.scratchRoot,
    production: (host.detection?.clusters ?? []).map((c) => ({
      dataDirectory: c.dataDirectory,
      port: c.port,
    })),
    restic: hasRestic
      ? {
          repository: resticRepositoryUrl(input.storage, input.sourceServerId),
          passwordFile,
          caFile,
          env: {
            AWS_ACCESS_KEY_ID: input.storage.accessKeyId,
            AWS_SECRET_ACCESS_KEY: input.storage.secretAccessKey,
            AWS_DEFAULT_REGION: input.storage.region,
          },
        }
      : null,
    async provision(provisionSignal) {
      await shell.run('prepare repository access', `mkdir -m 711 ${shq(repoDir)}`, {
        signal: provisionSignal,
      });
      if (caFile) {
        await shell.writeFile('write the CA file', caFile, input.storage.caCertificate as string, {
          mode: '644',
          signal: provisionSignal,
        });
      }
      const config = hostRepositoryConfig({
        sourceServerId: input.sourceServerId,
        stanza: input.stanza,
        storage: input.storage,
        cipherPass: input.cipherPass,
        caFile,
        dataDirectory: paths.data,
        lockPath: paths.lock,
        logPath: paths.pgbackrestLog,
        spoolPath: paths.spool,
        cpuCount: Number(facts.get('cpus')) || 1,
      });
      await shell.writeFile('write the pgBackRest config', configPath, config, {
        owner: 'postgres',
        mode: '600',
        signal: provisionSignal,
      });
      if (hasRestic) {
        await shell.writeFile(
          'write the restic password',
          passwordFile,
          input.resticPassword as string,
          {
            signal: provisionSignal,
          },
        );
      }
    },
    async unprovision(unprovisionSignal) {
      await shell.run('remove repository access', `rm -rf ${shq(repoDir)}`, {
        signal: unprovisionSignal,
      });
    },
  };
}
