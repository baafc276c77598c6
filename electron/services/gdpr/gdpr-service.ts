import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { hardDeleteDue } from '../../../node/gdpr/hard-delete-due';
import { buildSubjectMap, parseRoot, SubjectMapError } from '../../../node/gdpr/subject-map';
import { RetentionPolicy } from '../../../shared/contract/agent';
import type {
  GdprEraseInput,
  GdprEraseResult,
  GdprErasuresInput,
  GdprErasuresResult,
  GdprExportEstimate,
  GdprExportInput,
  GdprExportResult,
  GdprMapInput,
  GdprMapResult,
  GdprSubjectInput,
} from '../../../shared/contract/gdpr';
import { GDPR_EXPORT_JOB_KIND } from '../../../shared/contract/gdpr';
import type { Job } from '../../../shared/contract';
import type { JobContext, JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { runPreflight } from '../agent-install/preflight';
import { RemoteShell } from '../agent-install/remote-shell';
import { installedLayout } from '../agent-run/installed-command';
import { AppError } from '../app-error';
import { appOsUser } from '../os-user';
import { appPublicKey, appSigningKey } from '../reports/app-signing-key';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import type { Db } from '../store/database';
import { acceptablePath } from './attached-files';
import { erasureStatus } from './erasure-status';
import { ledgerKeyOf, writeErasureEntry } from './ledger-writer';
import { erasureDryRun, eraseSubject } from './subject-erasure';
import {
  assertMapCurrent,
  estimateSubject,
  exportSubject,
  readSchemaGraph,
  type SubjectSource,
} from './subject-export';
import { SubjectMapsRepo } from './subject-maps-repo';

export interface GdprServiceDeps {
  db: Db;
  dataDir: string;
  servers: ServersService;
  agent: AgentInstallService;
  storage: StorageService;
  secrets: SecretStore;
  /** Runs the export as a job (gdpr.export.start); without it only the direct call works. */
  jobs?: JobRunner;
}

/**
 * GDPR requests for a server with the agent installed (issue 17): the subject map (built from
 * the live schema, saved in versions), the access export and the erasure. Every use checks the
 * saved map against the live schema first.
 */
export class GdprService {
  private readonly maps: SubjectMapsRepo;

  constructor(private readonly deps: GdprServiceDeps) {
    this.maps = new SubjectMapsRepo(deps.db);
  }

  /** A source for the server's database: SSH with the pinned host key, the cluster as installed. */
  private async open<T>(
    serverId: string,
    database: string,
    work: (source: SubjectSource) => Promise<T>,
  ): Promise<T> {
    const agent = this.deps.agent.installed(serverId);
    if (!agent) {
      throw new AppError(
        'AGENT_NOT_INSTALLED',
        'GDPR requests need the agent on this server: install it first (kumiko agent install).',
      );
    }
    const ssh = await this.deps.servers.open(serverId);
    try {
      const shell = new RemoteShell(
        ssh,
        this.deps.servers.get(serverId).detection?.sudo === 'root',
      );
      const { cluster } = await runPreflight(shell, agent.dataDirectory, installedLayout(agent));
      return await work({ shell, cluster, database });
    } finally {
      ssh.close();
    }
  }

  private retention(serverId: string): RetentionPolicy {
    const parsed = RetentionPolicy.safeParse(
      this.deps.agent.installed(serverId)?.settings.retention ?? {},
    );
    return parsed.success ? parsed.data : RetentionPolicy.parse({});
  }

  async map(input: GdprMapInput): Promise<GdprMapResult> {
    const saved = this.maps.latest(input.serverId, input.database);
    const root = input.root ? parseRootOrFail(input.root) : saved?.map.root;
    if (!root) {
      throw new AppError(
        'NOT_FOUND',
        `No subject map is saved for ${input.database}: name its root, e.g. --root customer.customer_id.`,
      );
    }
    const edits = input.edits ?? saved?.edits ?? {};
    return this.open(input.serverId, input.database, async (source) => {
      const graph = await readSchemaGraph(source);
      let map;
      try {
        map = buildSubjectMap(graph, input.database, root, edits);
      } catch (err) {
        if (err instanceof SubjectMapError) throw new AppError('INVALID_INPUT', err.message);
        throw err;
      }
      let drift: string[] = [];
      if (saved) {
        try {
          assertMapCurrent(saved.map, graph, saved.edits);
        } catch (err) {
          drift = ((err as AppError).details as { changes?: string[] })?.changes ?? [
            (err as Error).message,
          ];
        }
      }
      if (input.save) {
        const stored = this.maps.save(input.serverId, map, edits, appOsUser());
        return { map, edits, version: stored.version, drift: [] };
      }
      return { map, edits, version: saved?.version ?? null, drift };
    });
  }

  /** The saved map, checked against the live schema (CONFLICT naming the change otherwise). */
  private savedMap(serverId: string, database: string) {
    const saved = this.maps.latest(serverId, database);
    if (!saved) {
      throw new AppError(
        'NOT_FOUND',
        `No subject map is saved for ${database}: review and save one first (kumiko gdpr map --save).`,
      );
    }
    return saved;
  }

  /** What the export of one subject will hold, read in one consistent snapshot; changes nothing. */
  async estimate(input: GdprSubjectInput): Promise<GdprExportEstimate> {
    const saved = this.savedMap(input.serverId, input.database);
    return this.open(input.serverId, input.database, async (source) => {
      assertMapCurrent(saved.map, await readSchemaGraph(source), saved.edits);
      const tables = await estimateSubject(source, saved.map, input.subject);
      return {
        tables,
        rows: tables.reduce((n, t) => n + t.rows, 0),
        bytes: tables.reduce((n, t) => n + t.bytes, 0),
      };
    });
  }

  /**
   * Starts the export as a job: estimate, read (the estimate's bytes as total), write. A cancel
   * ends the SSH commands through the job's signal; the zip is written last, so a cancelled
   * export leaves no file.
   */
  startExport(
    input: GdprExportInput,
    /** Told how the job ended (a request keeps the result as its evidence). */
    ended?: (result: GdprExportResult | null) => void,
  ): Job {
    const jobs = this.deps.jobs;
    if (!jobs) throw new AppError('INTERNAL', 'The app runs no jobs here.');
    this.savedMap(input.serverId, input.database);
    const server = this.deps.servers.get(input.serverId);
    return jobs.start({
      kind: GDPR_EXPORT_JOB_KIND,
      title: `GDPR access export on ${server.name}`,
      subjectId: input.serverId,
      run: async (ctx) => {
        let result: GdprExportResult | null = null;
        try {
          result = await this.export(input, ctx);
          return result;
        } finally {
          ended?.(result);
        }
      },
    });
  }

  async export(input: GdprExportInput, job?: JobContext): Promise<GdprExportResult> {
    const saved = this.savedMap(input.serverId, input.database);
    const server = this.deps.servers.get(input.serverId);
    const signer = await appSigningKey(this.deps.secrets);
    const exportId = `${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
    const backupsExpire = hardDeleteDue(new Date(), this.retention(input.serverId));
    return this.open(input.serverId, input.database, async (source) => {
      job?.progress('estimate', 0, 1);
      const graph = await readSchemaGraph(source);
      assertMapCurrent(saved.map, graph, saved.edits);
      const estimate = await estimateSubject(source, saved.map, input.subject, job?.signal);
      const bytes = estimate.reduce((n, t) => n + t.bytes, 0);
      job?.progress('read', 0, bytes);
      const { zip } = await exportSubject(source, {
        exportId,
        serverName: server.name,
        subject: input.subject,
        map: saved.map,
        graph,
        backupsExpire,
        signer,
        attachedRoots: attachedRootsOf(this.deps.agent.installed(input.serverId)?.settings),
        ...(job ? { signal: job.signal } : {}),
      });
      job?.progress('write', 0, 1);
      if (job?.signal.aborted) throw new AppError('CANCELLED', 'The export was cancelled.');
      const folder = input.outputDirectory ?? path.join(this.deps.dataDir, 'gdpr-exports');
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      const file = path.join(folder, `gdpr-export-${exportId}.zip`);
      await fs.writeFile(file, zip, { flag: 'wx', mode: 0o600 });
      return {
        exportId,
        path: file,
        sha256: createHash('sha256').update(zip).digest('hex'),
        bytes: zip.length,
        tables: estimate,
        backupsExpire,
      };
    });
  }

  async erase(input: GdprEraseInput): Promise<GdprEraseResult> {
    const saved = this.savedMap(input.serverId, input.database);
    const now = new Date();
    const due = hardDeleteDue(now, this.retention(input.serverId));
    return this.open(input.serverId, input.database, async (source) => {
      const graph = await readSchemaGraph(source);
      assertMapCurrent(saved.map, graph, saved.edits);
      const plan = await erasureDryRun(source, saved.map, graph, input.subject);
      const base = {
        hardDeleteDue: due,
        tables: plan.tables.map((t) => ({ table: t.table, rows: t.rows })),
        references: plan.references,
      };
      const roots = attachedRootsOf(this.deps.agent.installed(input.serverId)?.settings);
      if (input.dryRun) {
        const files = plan.files.map((path) => ({
          path,
          state: acceptablePath(path, roots) ? ('would-remove' as const) : ('outside' as const),
        }));
        return {
          dryRun: true,
          erasureId: null,
          erasedAt: null,
          refusals: plan.refusals,
          files,
          ...base,
        };
      }
      const ledgerKey = await ledgerKeyOf(this.deps.secrets, input.serverId);
      const storage = await this.deps.storage.credentials(input.serverId);
      const result = await eraseSubject(source, {
        serverId: input.serverId,
        erasureId: `${now.toISOString().slice(0, 10)}-${randomBytes(6).toString('hex')}`,
        subject: input.subject,
        map: saved.map,
        graph,
        plan,
        ledgerKey,
        writeLedger: (entry) => writeErasureEntry(this.deps.secrets, storage, entry),
        now,
        attachedRoots: roots,
      });
      return {
        dryRun: false,
        erasureId: result.erasureId,
        erasedAt: result.erasedAt,
        refusals: [],
        ...base,
        tables: result.tables,
        files: [
          ...result.files.removed.map((path) => ({ path, state: 'removed' as const })),
          ...result.files.kept.map(({ path, why }) => ({ path, state: why })),
        ],
      };
    });
  }

  /** The server's erasures from its bucket ledger: due dates, and "final" once the agent says so. */
  async erasures(input: GdprErasuresInput): Promise<GdprErasuresResult> {
    const agent = this.deps.agent.installed(input.serverId);
    return erasureStatus(await this.deps.storage.credentials(input.serverId), {
      serverId: input.serverId,
      appKey: await appPublicKey(this.deps.secrets),
      agentKey: agent?.publicKey ?? null,
      retention: this.retention(input.serverId),
    });
  }
}

/** The folders the agent backs up as attached files (the install's settings). */
function attachedRootsOf(settings: Record<string, unknown> | undefined): string[] {
  const paths = settings?.attachedPaths;
  return Array.isArray(paths)
    ? paths.filter((p): p is string => typeof p === 'string' && p.startsWith('/'))
    : [];
}

function parseRootOrFail(text: string) {
  try {
    return parseRoot(text);
  } catch (err) {
    throw new AppError('INVALID_INPUT', (err as Error).message);
  }
}
