import crypto from 'node:crypto';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { buildCatalogModel, DEFAULT_GFS_POLICY, type CatalogModel } from '../../../shared/catalog';
import type { Catalog } from '../../../shared/contract';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import type { ServersService } from '../servers/servers-service';
import type { StorageCredentials, StorageService } from '../storage/storage-service';
import { BucketLister } from './bucket-lister';
import { cacheFile, cacheSource, readCache, writeCache, type CatalogCache } from './catalog-cache';
import { catalogInputFrom, retentionFrom } from './catalog-input';
import { updateCache } from './cache-update';

/** A full listing of the archive at least this often, to see segments deleted from the middle. */
export const FULL_RELIST_AFTER_MS = 6 * 3_600_000;
/**
 * A server's S3 connections stay open this long after an update: a TLS handshake costs more
 * than the few listings of an incremental update, and the timeline asks again soon.
 */
const CLIENT_IDLE_MS = 60_000;

interface OpenLister {
  lister: BucketLister;
  /** Hash of the credentials it was made with: new credentials, new client. */
  fingerprint: string;
  idle: NodeJS.Timeout | undefined;
}

function fingerprint(c: StorageCredentials): string {
  const parts = [
    c.endpoint,
    c.bucket,
    c.region,
    c.accessKeyId,
    c.secretAccessKey,
    c.caCertificate ?? '',
  ];
  return crypto.createHash('sha256').update(parts.join('\n')).digest('hex');
}

export interface CatalogServiceDeps {
  dataDir: string;
  /** Only `get` is used (an unknown server id is NOT_FOUND). */
  servers: Pick<ServersService, 'get'>;
  /** Only `credentials` is used (tests and the bench pass a stand-in). */
  storage: Pick<StorageService, 'credentials'>;
  /** The pinned key (and the retired ones), the stanza and the retention settings. */
  agent: Pick<AgentInstallService, 'installed' | 'retiredKeys'>;
  /** IANA zone for GFS calendar days and label times (default: this machine's zone). */
  timeZone?: string;
  /** Default {@link FULL_RELIST_AFTER_MS}. */
  fullRelistAfterMs?: number;
  now?: () => number;
  /** The server's clock minus this computer's in ms (ServerClocks.offsetMs; absent: 0). */
  serverClockOffsetMs?: (serverId: string) => number;
}

/** Options of {@link CatalogService.get} and {@link CatalogService.model}. */
export interface CatalogGetOptions {
  /** Rebuild from a full listing of the bucket, ignoring the cache. */
  refresh?: boolean;
}

/** How the last update of a server's catalog went (diagnostics, tests, the CLI). */
export interface CatalogUpdateStats {
  mode: 'full' | 'incremental' | 'cache-only';
  s3Requests: number;
  /** Time spent bringing the cache up to date from the bucket. */
  syncMs: number;
  /** Time spent building the model from the cache. */
  buildMs: number;
}

/**
 * The catalog of recoverable moments of each server, built from its bucket alone (no SSH):
 * the listing is cached in `<dataDir>/catalog/<serverId>.json` and brought up to date
 * incrementally on every call, fully on `refresh` and every {@link FULL_RELIST_AFTER_MS}.
 */
export class CatalogService {
  private readonly memory = new Map<string, CatalogCache>();
  private readonly queue = new Map<string, Promise<unknown>>();
  private readonly stats = new Map<string, CatalogUpdateStats>();
  private readonly listers = new Map<string, OpenLister>();

  constructor(private readonly deps: CatalogServiceDeps) {}

  /** The catalog from the bucket alone; cached, brought up to date incrementally. */
  async get(serverId: string, options: CatalogGetOptions = {}): Promise<Catalog> {
    return (await this.model(serverId, options)).catalog;
  }

  /**
   * The catalog model (the contract's catalog plus WAL names, sizes and the WAL chain of each
   * coverage range), brought up to date from the bucket like {@link get}. The restore service
   * passes it to `resolveRecoveryTarget` (shared/catalog); before restoring a time close to
   * the newest WAL, or when a refusal would be costly, ask with `refresh: true`.
   * Throws NOT_FOUND, STORAGE_NOT_CONFIGURED, STORAGE_UNREACHABLE, STORAGE_ACCESS_DENIED or
   * STORAGE_TLS_FAILED.
   */
  async model(serverId: string, options: CatalogGetOptions = {}): Promise<CatalogModel> {
    return this.serialised(serverId, () => this.update(serverId, !!options.refresh));
  }

  /** The catalog model from the cache alone (no S3); null when nothing is cached. */
  async cached(serverId: string): Promise<CatalogModel | null> {
    const cache = this.memory.get(serverId) ?? (await readCache(this.file(serverId), serverId));
    if (!cache) return null;
    const started = performance.now();
    const model = this.build(serverId, cache);
    this.stats.set(serverId, {
      mode: 'cache-only',
      s3Requests: 0,
      syncMs: 0,
      buildMs: performance.now() - started,
    });
    return model;
  }

  /** How the last call for this server went; undefined before the first. */
  lastUpdate(serverId: string): CatalogUpdateStats | undefined {
    return this.stats.get(serverId);
  }

  /** Closes the S3 connections kept open between updates. */
  close(): void {
    for (const open of this.listers.values()) {
      clearTimeout(open.idle);
      open.lister.close();
    }
    this.listers.clear();
  }

  /** The server's lister, reused while its credentials stay the same. */
  private listerFor(serverId: string, creds: StorageCredentials): BucketLister {
    const print = fingerprint(creds);
    const open = this.listers.get(serverId);
    if (open) clearTimeout(open.idle);
    if (open?.fingerprint === print) return open.lister;
    open?.lister.close();
    const lister = new BucketLister(creds);
    this.listers.set(serverId, { lister, fingerprint: print, idle: undefined });
    return lister;
  }

  private release(serverId: string): void {
    const open = this.listers.get(serverId);
    if (!open) return;
    open.idle = setTimeout(() => {
      open.lister.close();
      if (this.listers.get(serverId) === open) this.listers.delete(serverId);
    }, CLIENT_IDLE_MS);
    open.idle.unref();
  }

  private file(serverId: string): string {
    return cacheFile(this.deps.dataDir, serverId);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** One update per server at a time: two windows asking at once share the bucket reads. */
  private serialised<T>(serverId: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queue.get(serverId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.queue.set(serverId, next);
    return next.finally(() => {
      if (this.queue.get(serverId) === next) this.queue.delete(serverId);
    });
  }

  private async update(serverId: string, refresh: boolean): Promise<CatalogModel> {
    this.deps.servers.get(serverId);
    const creds = await this.deps.storage.credentials(serverId);
    const installed = this.deps.agent.installed(serverId);
    const started = performance.now();
    const lister = this.listerFor(serverId, creds);
    const requestsBefore = lister.requests;
    let cache: CatalogCache;
    try {
      const stanza = installed?.stanza ?? (await discoverStanza(lister, serverId));
      const source = cacheSource(creds.endpoint, creds.bucket, stanza ?? '');
      let cached = refresh
        ? null
        : (this.memory.get(serverId) ?? (await readCache(this.file(serverId), serverId)));
      if (cached && cached.source !== source) cached = null;
      const now = this.now();
      const due =
        !cached ||
        now - cached.fullListedAt > (this.deps.fullRelistAfterMs ?? FULL_RELIST_AFTER_MS);
      cache = stanza
        ? await updateCache(
            lister,
            {
              serverId,
              stanza,
              source,
              keys: {
                current: installed?.publicKey ?? null,
                retired: this.deps.agent.retiredKeys(serverId),
              },
              now,
            },
            cached,
            due,
          )
        : emptyCache(serverId, source, now);
      await writeCache(this.file(serverId), cache);
      this.memory.set(serverId, cache);
      const syncMs = performance.now() - started;
      const built = performance.now();
      const model = this.build(serverId, cache);
      this.stats.set(serverId, {
        mode: due ? 'full' : 'incremental',
        s3Requests: lister.requests - requestsBefore,
        syncMs,
        buildMs: performance.now() - built,
      });
      return model;
    } finally {
      this.release(serverId);
    }
  }

  private build(serverId: string, cache: CatalogCache): CatalogModel {
    const installed = this.deps.agent.installed(serverId);
    return buildCatalogModel(
      catalogInputFrom(cache, {
        now: this.now(),
        retention: retentionFrom(installed?.settings) ?? DEFAULT_GFS_POLICY,
        timeZone: this.deps.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
        serverClockOffsetMs: this.deps.serverClockOffsetMs?.(serverId) ?? 0,
      }),
    );
  }
}

/**
 * The stanza when no agent is recorded (laptop replaced, server gone): the one folder under
 * pgBackRest's archive/ (the newest-named when there are several). Null for an empty bucket.
 */
async function discoverStanza(lister: BucketLister, serverId: string): Promise<string | null> {
  const { folders } = await lister.folders(`${bucketLayout.pgbackrestPrefix(serverId)}archive/`);
  return folders[folders.length - 1] ?? null;
}

function emptyCache(serverId: string, source: string, now: number): CatalogCache {
  return {
    format: 'kumiko-catalog-cache/1',
    serverId,
    source,
    stanza: '',
    fullListedAt: now,
    updatedAt: now,
    archive: null,
    otherArchiveIds: [],
    labels: [],
    repoManifestTimes: {},
    manifests: {},
    events: {},
  };
}
