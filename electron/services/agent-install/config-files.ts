import type { AgentInstallSettings } from '../../../shared/contract';
import { AgentConfig } from '../../../shared/agent/config';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { StorageCredentials } from '../storage/storage-service';
import type { RemoteLayout } from './layout';
import type { Preflight } from './preflight';

export interface RepositorySecrets {
  /** pgBackRest repository cipher passphrase (repo1-cipher-pass). */
  cipherPass: string;
  /** restic repository password. */
  resticPassword: string;
  /** The GDPR erasure ledger key (32 bytes, hex): keys the subject hashes; never in the bucket. */
  ledgerKey: string;
}

/** Host, port and AWS-ness of an S3 endpoint URL (pgBackRest and restic want them apart). */
export function endpointParts(endpoint: string): { host: string; port: number; isAws: boolean } {
  const url = new URL(endpoint);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 443,
    isAws: url.hostname.endsWith('.amazonaws.com'),
  };
}

/** The restic repository URL of a server's attached files (the agent's, or a restore's). */
export function resticRepositoryUrl(storage: StorageCredentials, serverId: string): string {
  const { host, port } = endpointParts(storage.endpoint);
  return `s3:https://${host}${port === 443 ? '' : `:${port}`}/${storage.bucket}/${bucketLayout.resticPath(serverId)}`;
}

/**
 * The pgBackRest config: S3 repository with client-side encryption, zstd level 1, async
 * archiving with a spool path, process-max from the core count. Retention is applied by the
 * agent (`expire --set`), so pgBackRest's own count-based retention is set out of the way.
 */
export function pgbackrestConfig(
  serverId: string,
  stanza: string,
  pre: Preflight,
  layout: RemoteLayout,
  storage: StorageCredentials,
  secrets: RepositorySecrets,
): string {
  const { host, port, isAws } = endpointParts(storage.endpoint);
  const global: [string, string | number][] = [
    ['repo1-type', 's3'],
    ['repo1-path', bucketLayout.pgbackrestPath(serverId)],
    ['repo1-s3-endpoint', host],
    ['repo1-s3-bucket', storage.bucket],
    ['repo1-s3-region', storage.region],
    ['repo1-s3-key', storage.accessKeyId],
    ['repo1-s3-key-secret', storage.secretAccessKey],
    ['repo1-s3-uri-style', isAws ? 'host' : 'path'],
    ['repo1-cipher-type', 'aes-256-cbc'],
    ['repo1-cipher-pass', secrets.cipherPass],
    // Retention is the agent's (GFS via expire --set); pgBackRest's own count stays out of the way.
    ['repo1-retention-full', 9999],
    // A backup as a few bundled objects instead of one per file: far fewer S3 requests.
    ['repo1-bundle', 'y'],
    ['compress-type', 'zst'],
    ['compress-level', 1],
    ['process-max', Math.max(1, Math.min(pre.cpuCount, 4))],
    ['archive-async', 'y'],
    // archive-push gives up (and PostgreSQL counts a failure) after this long without the
    // bucket: 30 s instead of 60 makes an outage visible on the dashboard well within 90 s.
    ['archive-timeout', 30],
    ['spool-path', layout.spoolPath],
    ['lock-path', layout.lockPath],
    ['log-path', layout.logPath],
    ['log-level-console', 'warn'],
    ['log-level-file', 'info'],
    ['start-fast', 'y'],
  ];
  if (port !== 443) global.push(['repo1-storage-port', port]);
  if (storage.caCertificate) global.push(['repo1-storage-ca-file', layout.caFilePath]);
  const stanzaSection: [string, string | number][] = [
    ['pg1-path', pre.cluster.dataDirectory],
    ['pg1-port', pre.cluster.port],
    ['pg1-socket-path', pre.cluster.socketDirectory],
  ];
  const render = (name: string, entries: [string, string | number][]) =>
    [`[${name}]`, ...entries.map(([k, v]) => `${k}=${v}`)].join('\n');
  return `${render('global', global)}\n\n${render(stanza, stanzaSection)}\n`;
}

/** The agent's own config; validated against the schema the agent reads it with. */
export function agentConfig(
  request: AgentInstallSettings,
  serverName: string,
  stanza: string,
  pre: Preflight,
  layout: RemoteLayout,
  storage: StorageCredentials,
  gdpr?: { ledgerKey: string; signerKey: string },
): AgentConfig {
  return AgentConfig.parse({
    version: 1,
    serverId: request.serverId,
    serverName: serverName.trim().slice(0, 200) || undefined,
    stanza,
    stateDir: layout.stateDir,
    pg: {
      version: pre.cluster.version,
      dataDirectory: pre.cluster.dataDirectory,
      port: pre.cluster.port,
      socketDirectory: pre.cluster.socketDirectory,
      binDirectory: pre.cluster.binDirectory,
      osUser: pre.cluster.osUser,
    },
    pgbackrest: { configPath: layout.pgbackrestConfigPath },
    s3: {
      endpoint: storage.endpoint,
      bucket: storage.bucket,
      region: storage.region,
      accessKeyId: storage.accessKeyId,
      secretAccessKey: storage.secretAccessKey,
      ...(storage.caCertificate ? { caFile: layout.caFilePath } : {}),
      prefix: bucketLayout.prefix(request.serverId),
    },
    restic: {
      repository: resticRepositoryUrl(storage, request.serverId),
      passwordFile: layout.resticPasswordPath,
      paths: request.attachedPaths,
    },
    signingKeyFile: layout.signingKeyPath,
    ...(gdpr ? { gdpr } : {}),
    schedule: request.schedule,
    retention: request.retention,
    alerts: request.alerts,
    // Drills restore into throwaway folders beside the agent's state (0711, so the cluster's
    // OS user reaches its folder inside); schedule and smoke checks keep their defaults here.
    drill: { scratchRoot: `${layout.stateDir.replace(/\/+$/, '')}/drills` },
  });
}
