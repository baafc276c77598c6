import { bucketLayout } from '../../../shared/agent/bucket-layout';
import {
  KitImportRequest as KitImportRequestSchema,
  KitValues as KitValuesSchema,
  type KitImportRequest,
  type KitImportResult,
  type KitValues,
  type StorageTargetDraft,
} from '../../../shared/contract';
import { AgentsRepo } from '../agent-install/agents-repo';
import { repositorySecretNames } from '../agent-install/install-job';
import { AppError } from '../app-error';
import { BucketLister } from '../catalog/bucket-lister';
import type { CatalogService } from '../catalog/catalog-service';
import type { EventBus } from '../events/event-bus';
import { parseKitText } from '../recovery-kit/kit-parse';
import type { SecretStore } from '../secrets/secret-store';
import type { StorageService } from '../storage/storage-service';
import type { Db } from '../store/database';
import { ServersRepo } from '../store/servers-repo';
import { checkKitAgainstBucket } from './bucket-kit-checks';

/**
 * The host name of a server known only from its kit: `.invalid` never resolves (RFC 2606),
 * so nothing ever connects to a server that is gone; the rebuild adds the new host itself.
 */
export const RETIRED_HOST = 'retired.invalid';

export interface KitImportDeps {
  db: Db;
  secrets: SecretStore;
  storage: StorageService;
  catalog: Pick<CatalogService, 'get'>;
  /** 'servers.changed' for the imported server: an open console lists it, its jobs name it. */
  events: Pick<EventBus, 'emit'>;
}

/**
 * A fresh console from the recovery kit alone (issue 19 §1): the kit's values are checked
 * against the bucket before anything is stored, then the old server is added as retired (no
 * host to reach) with its storage target, repository passphrases and the pinned agent key,
 * so the catalog, restores and the rebuild work from the bucket as for a managed server.
 */
export class KitImportService {
  constructor(private readonly deps: KitImportDeps) {}

  async import(input: KitImportRequest): Promise<KitImportResult> {
    const request = KitImportRequestSchema.parse(input);
    const kit = kitValues(request);
    const servers = new ServersRepo(this.deps.db);
    if (servers.get(kit.serverId)) {
      throw new AppError(
        'CONFLICT',
        `Server ${kit.serverName} (${kit.serverId}) is already in this console: open it there, or remove it first to import its kit again.`,
      );
    }
    const draft: StorageTargetDraft = {
      endpoint: kit.endpoint,
      bucket: kit.bucket,
      region: kit.region,
      accessKeyId: kit.accessKeyId,
      secretAccessKey: kit.secretAccessKey,
      ownStorage: request.ownStorage,
      ...(kit.caCertificate ? { caCertificate: kit.caCertificate } : {}),
    };
    // The storage check first (EU, TLS, rights): the same refusals as saving a target.
    await this.deps.storage.check(draft);
    const lister = new BucketLister({ ...draft, ownStorage: request.ownStorage });
    let found;
    try {
      found = await checkKitAgainstBucket(lister, kit);
    } finally {
      lister.close();
    }
    await this.persist(servers, kit, draft, found.agentPublicKey);
    this.deps.events.emit('servers.changed', { serverId: kit.serverId });
    const catalog = await this.deps.catalog.get(kit.serverId, { refresh: true });
    return {
      serverId: kit.serverId,
      serverName: kit.serverName,
      recoveryPoints: catalog.backups.length,
      verifiedManifests: found.manifests,
      restorableUntil: catalog.lastRestorable,
    };
  }

  private async persist(
    servers: ServersRepo,
    kit: KitValues,
    draft: StorageTargetDraft,
    agentPublicKey: string,
  ): Promise<void> {
    servers.insert({
      id: kit.serverId,
      name: kit.serverName,
      host: RETIRED_HOST,
      port: 22,
      user: 'root',
      authKind: 'generate',
      publicKey: null,
    });
    servers.setStatus(
      kit.serverId,
      'unreachable',
      'Imported from its recovery kit: the server itself is gone. Its backups stay restorable from the bucket; rebuild it onto a new host.',
    );
    const names = repositorySecretNames(kit.serverId);
    try {
      await this.deps.storage.save(kit.serverId, draft);
      await this.deps.secrets.set(names.cipherPass, kit.cipherPass);
      await this.deps.secrets.set(names.resticPassword, kit.resticPassword);
      if (kit.ledgerKey) await this.deps.secrets.set(names.ledgerKey, kit.ledgerKey);
      const agents = new AgentsRepo(this.deps.db);
      agents.save({
        serverId: kit.serverId,
        version: 'unknown',
        stanza: kit.stanza,
        dataDirectory: kit.dataDirectory,
        scheduler: 'systemd',
        publicKey: agentPublicKey,
        settings: { pgVersion: kit.pgVersion, importedFromKit: new Date().toISOString() },
        installedAt: new Date().toISOString(),
      });
      for (const key of kit.earlierAgentKeys ?? []) {
        agents.retireKey(kit.serverId, key.publicKey, key.retiredAt);
      }
    } catch (err) {
      // A half-imported server would look usable: take back what was stored.
      servers.remove(kit.serverId);
      for (const name of Object.values(names)) await this.deps.secrets.delete(name);
      throw err;
    }
  }
}

/** The kit's values from its text and what was typed (typed wins), checked by the contract. */
function kitValues(request: ReturnType<typeof KitImportRequestSchema.parse>): KitValues {
  if (request.text === undefined && request.values === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      'Give the recovery kit: its text copy (the .txt saved beside the PDF) or the values typed from the printed sheet.',
    );
  }
  const fromText = request.text !== undefined ? parseKitText(request.text).values : {};
  const merged = { ...fromText, ...request.values };
  const parsed = KitValuesSchema.safeParse(merged);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new AppError(
      'INVALID_INPUT',
      `The recovery kit lacks or garbles these values: ${fields.join(', ')}. Type them from the printed sheet and import again.`,
      parsed.error.issues,
    );
  }
  const kit = parsed.data;
  if (kit.repoPath !== bucketLayout.pgbackrestPath(kit.serverId)) {
    throw new AppError(
      'KIT_REFUSED',
      `The kit's pgBackRest repo1-path (${kit.repoPath}) is not the one of server ${kit.serverId} (${bucketLayout.pgbackrestPath(kit.serverId)}): the server line and the bucket section come from different kits. Take one kit and import again.`,
      undefined,
      { key: 'mixedKits' },
    );
  }
  return kit;
}
