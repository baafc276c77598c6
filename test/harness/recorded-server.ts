import fs from 'node:fs';
import type { AppCore } from '../../electron/ipc/app-core';
import { AgentsRepo } from '../../electron/services/agent-install/agents-repo';
import { repositorySecretNames } from '../../electron/services/agent-install/install-job';
import type { SecretStore } from '../../electron/services/secrets/secret-store';
import { openDatabase } from '../../electron/services/store/database';
import { newLedgerKey } from '../../node/gdpr/ledger-object';
import type { Job, Result, Server } from '../../shared/contract';
import type { PostgresCluster } from './postgres';
import type { S3Server } from './s3';
import type { SshdServer } from './sshd';

/**
 * A server added, trusted and connected through the app core, with its storage target saved
 * and the agent's install record written straight into the store (no agent installed): enough
 * for the services that only read the data directory, retention and the ledger key (GDPR).
 * Installing the real agent would cost each file about a minute. Returns the server's id.
 */
export async function addServerWithInstallRecord(
  core: AppCore,
  dataDir: string,
  secrets: SecretStore,
  services: { pg: PostgresCluster; sshd: SshdServer; s3: S3Server },
): Promise<string> {
  const { pg, sshd, s3 } = services;
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  const server = await call<Server>('servers.add', {
    name: 'db1',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
  });
  const serverId = server.id;
  await call('servers.trustHostKey', { id: serverId, fingerprint: sshd.hostFingerprint });
  const { jobId } = await call<{ jobId: string }>('servers.connect', { id: serverId });
  const connected: Job = await core.jobs.wait(jobId);
  if (connected.state !== 'succeeded') {
    throw new Error(`servers.connect: ${connected.state} ${JSON.stringify(connected.error)}`);
  }
  await call('storage.save', {
    serverId,
    target: {
      endpoint: s3.endpoint,
      bucket: 'kumiko',
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      ownStorage: true,
      caCertificate: fs.readFileSync(s3.caFile, 'utf8'),
    },
  });
  const db = openDatabase(dataDir);
  new AgentsRepo(db).save({
    serverId,
    version: 'test',
    stanza: 'main',
    dataDirectory: pg.dataDir,
    scheduler: 'daemon',
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv1e7wDXWx9h8ZbkQqvY5JjZ5nXz5eQZ5nXz5eQZ5nX',
    settings: { retention: { daily: 7, weekly: 4, monthly: 3, pitrDays: 30 } },
    installedAt: new Date().toISOString(),
  });
  db.close();
  await secrets.set(repositorySecretNames(serverId).ledgerKey, newLedgerKey());
  return serverId;
}
