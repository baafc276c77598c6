import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { socketFolder } from '../../../node/restore/scratch-socket';
import { tableName } from '../../../node/gdpr/schema-graph';
import { buildSubjectMap, parseRoot, SubjectMapError } from '../../../node/gdpr/subject-map';
import type { SubjectMap } from '../../../node/gdpr/subject-map';
import type { Job, ScratchEnvironment } from '../../../shared/contract';
import {
  SubjectRestoreInput,
  SubjectRestoreRefusal,
  type SubjectRestoreOutcome,
  type SubjectRestorePreview,
} from '../../../shared/contract/rollback';
import type { JobContext, JobRunner } from '../../jobs/runner';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { runPreflight } from '../agent-install/preflight';
import { RemoteShell } from '../agent-install/remote-shell';
import { installedLayout } from '../agent-run/installed-command';
import { AppError } from '../app-error';
import { ledgerKeyOf } from '../gdpr/ledger-writer';
import { runSql, type ClusterAccess } from '../gdpr/remote-sql';
import { assertMapCurrent, readSchemaGraph, type SubjectSource } from '../gdpr/subject-export';
import { SubjectMapsRepo } from '../gdpr/subject-maps-repo';
import { appOsUser } from '../os-user';
import { appPublicKey } from '../reports/app-signing-key';
import type { RestoreService } from '../restore/restore-service';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { StorageService } from '../storage/storage-service';
import type { Db } from '../store/database';
import { erasureOfSubject } from './subject-erased';
import {
  keyOf,
  parseSubjectRead,
  planSubjectRestore,
  type SubjectRead,
} from './subject-restore-plan';
import { applySubjectSql, readSubjectSql, type ApplyTable } from './subject-restore-sql';

// One subject's data as of a moment (issue 18 §4). The preview is a job: the erasure ledger is
// checked first (an erased subject is never restored, and nothing starts for one), then the
// restore service's own scratch restore to the moment (the ledger is replayed there as for
// every restore), the subject read there with the GDPR export's walk and in production, and
// the plan per table. The statements and production's digests stay here, in the app: an apply
// names its preview by id, so nothing a caller hands in becomes SQL.

export interface SubjectRestoreDeps {
  db: Db;
  servers: ServersService;
  agent: AgentInstallService;
  restore: RestoreService;
  storage: StorageService;
  secrets: SecretStore;
  jobs: JobRunner;
  /** Who asks, recorded in the audit trail with the apply (default: the app's OS user). */
  actor?: () => string;
}

/** A preview the app keeps for its apply. */
interface Pending {
  preview: SubjectRestorePreview;
  map: SubjectMap;
  value: string;
  tables: ApplyTable[];
  statements: string[];
  createdAt: number;
}

/** Previews older than this are applied only after a new preview. */
const PREVIEW_TTL_MS = 60 * 60 * 1000;
const PREVIEWS_KEPT = 20;

export class SubjectRestoreService {
  private readonly maps: SubjectMapsRepo;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: SubjectRestoreDeps) {
    this.maps = new SubjectMapsRepo(deps.db);
  }

  /** Starts the preview job (kind `rollback.subject`; result SubjectRestorePreview). */
  start(raw: SubjectRestoreInput): Job {
    const input = SubjectRestoreInput.parse(raw);
    const server = this.deps.servers.get(input.serverId);
    this.requireAgent(input.serverId);
    return this.deps.jobs.start({
      // SUBJECT_RESTORE_JOB_KIND, spelt out for the catalog check of job titles.
      kind: 'rollback.subject',
      title: `Restore one subject of ${input.database} on ${server.name} as of ${input.at}`,
      subjectId: input.serverId,
      run: (job) => this.preview(input, job),
    });
  }

  /** The preview (see the file's comment); changes nothing in production. */
  async preview(
    raw: SubjectRestoreInput,
    job: Pick<JobContext, 'progress' | 'signal'>,
  ): Promise<SubjectRestorePreview> {
    const input = SubjectRestoreInput.parse(raw);
    job.progress('subject-map', 0, 4);
    const map = await this.withSource(input.serverId, input.database, (source) =>
      this.mapOf(input, source),
    );
    const base = {
      previewId: randomUUID(),
      serverId: input.serverId,
      database: input.database,
      root: `${tableName(map.root)}.${map.root.column}`,
      map: input.root === undefined,
      at: new Date(input.at).toISOString(),
      scratchId: null,
      tables: [],
    };
    job.progress('erasure-ledger', 1, 4);
    const erased = await this.erasure(input.serverId, input.database, map, input.value);
    if (erased) return { ...base, refusal: { code: 'erased', ...erased } };

    job.progress('scratch-restore', 2, 4);
    const env = await this.scratchRestore(input, job.signal);
    let then: SubjectRead;
    let now: SubjectRead;
    try {
      job.progress('read', 3, 4);
      ({ then, now } = await this.withSource(input.serverId, input.database, async (source) => {
        const scratch: ClusterAccess = {
          ...source.cluster,
          socketDirectory: socketFolder(path.dirname(env.dataDirectory)),
          port: env.port,
        };
        const thenRead = await this.read(
          { ...source, cluster: scratch },
          map,
          readSubjectSql(map, input.value),
          'read the subject in the scratch database',
          job.signal,
        );
        const { keyColumns, keys } = keysOf(thenRead);
        const nowRead = await this.read(
          source,
          map,
          readSubjectSql(map, input.value, keyColumns, keys),
          'read the subject in production',
          job.signal,
        );
        return { then: thenRead, now: nowRead };
      }));
    } finally {
      if (!input.keepScratch) await this.deps.restore.dropScratch(env.id);
    }
    const plan = planSubjectRestore(map, then, now);
    const preview: SubjectRestorePreview = {
      ...base,
      scratchId: input.keepScratch ? env.id : null,
      tables: plan.tables,
      ...(plan.refusal ? { refusal: plan.refusal } : {}),
    };
    if (!plan.refusal) {
      const { keyColumns, keys } = keysOf(then);
      this.keep({
        preview,
        map,
        value: input.value,
        statements: plan.statements,
        createdAt: Date.now(),
        tables: map.tables.map((_, n) => ({
          n,
          keyColumns: keyColumns.get(n) ?? [],
          keys: keys.get(n) ?? [],
          digest: now.tables.get(n)!.digest,
        })),
      });
    }
    job.progress('read', 4, 4);
    return preview;
  }

  /**
   * Applies preview `previewId` in one transaction on production, or refuses and changes
   * nothing: the subject's rows changed after the preview, a constraint would break (named).
   * The audit trail (where installed) records the change with who asked and `reason`.
   */
  async apply(input: {
    serverId: string;
    previewId: string;
    reason: string;
  }): Promise<SubjectRestoreOutcome> {
    const pending = this.pending.get(input.previewId);
    if (
      !pending ||
      pending.preview.serverId !== input.serverId ||
      Date.now() - pending.createdAt > PREVIEW_TTL_MS
    ) {
      return { applied: false, refusal: { code: 'preview-unknown' } };
    }
    const { preview } = pending;
    const count = (a: 'insert' | 'update' | 'delete') =>
      preview.tables.reduce((sum, t) => sum + t.changes.filter((c) => c.action === a).length, 0);
    if (pending.statements.length === 0) {
      this.pending.delete(input.previewId);
      return { applied: true, inserted: 0, updated: 0, deleted: 0 };
    }
    const actor = (this.deps.actor ?? appOsUser)();
    const lines = await this.withSource(preview.serverId, preview.database, (source) =>
      runSql(
        source.shell,
        source.cluster,
        source.database,
        applySubjectSql(pending.map, pending.value, pending.tables, pending.statements, {
          actor,
          reason: input.reason,
        }),
        'apply the subject restore',
      ),
    );
    // Applied or refused, this preview is spent: a refusal needs a new look at the data.
    this.pending.delete(input.previewId);
    const verdict = JSON.parse(lines[lines.length - 1] ?? 'null') as {
      ok?: boolean;
      refusal?: string;
      constraint?: string;
      table?: string;
    } | null;
    if (verdict?.ok) {
      return {
        applied: true,
        inserted: count('insert'),
        updated: count('update'),
        deleted: count('delete'),
      };
    }
    const refusal = SubjectRestoreRefusal.safeParse({
      code: verdict?.refusal,
      constraint: verdict?.constraint ?? '',
      table: verdict?.table ?? '',
    });
    if (!refusal.success) {
      throw new AppError(
        'SSH_COMMAND_FAILED',
        'The server gave no verdict on the subject restore. Check the subject’s rows, then preview again.',
      );
    }
    return { applied: false, refusal: refusal.data };
  }

  private keep(pending: Pending): void {
    this.pending.set(pending.preview.previewId, pending);
    while (this.pending.size > PREVIEWS_KEPT) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
    }
  }

  private requireAgent(serverId: string) {
    const agent = this.deps.agent.installed(serverId);
    if (!agent) {
      throw new AppError(
        'AGENT_NOT_INSTALLED',
        'Restoring one subject needs the agent on this server: install it first (kumiko agent install).',
      );
    }
    return agent;
  }

  /** SSH to the server with its pinned host key, the cluster as the agent install found it. */
  private async withSource<T>(
    serverId: string,
    database: string,
    work: (source: SubjectSource) => Promise<T>,
  ): Promise<T> {
    const agent = this.requireAgent(serverId);
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

  /** The saved subject map (checked against the live schema), or one table's record. */
  private async mapOf(
    input: { root?: string | undefined; database: string; serverId: string },
    source: SubjectSource,
  ): Promise<SubjectMap> {
    const graph = await readSchemaGraph(source);
    if (input.root === undefined) {
      const saved = this.maps.latest(input.serverId, input.database);
      if (!saved) {
        throw new AppError(
          'NOT_FOUND',
          `No subject map is saved for ${input.database}: save one first (kumiko gdpr map --save), or name a table and key column.`,
        );
      }
      assertMapCurrent(saved.map, graph, saved.edits);
      return saved.map;
    }
    try {
      const map = buildSubjectMap(graph, input.database, parseRoot(input.root));
      // A named table's record alone: no foreign key is followed.
      return { ...map, tables: map.tables.slice(0, 1), links: [] };
    } catch (err) {
      if (err instanceof SubjectMapError) throw new AppError('INVALID_INPUT', err.message);
      throw err;
    }
  }

  private async erasure(serverId: string, database: string, map: SubjectMap, value: string) {
    return erasureOfSubject(
      await this.deps.storage.credentials(serverId),
      {
        serverId,
        appKey: await appPublicKey(this.deps.secrets),
        ledgerKey: await ledgerKeyOf(this.deps.secrets, serverId),
      },
      database,
      map.root,
      value,
    );
  }

  /** The restore service's scratch restore to the moment, followed to its end. */
  private async scratchRestore(
    input: { serverId: string; at: string; keepScratch: boolean },
    signal: AbortSignal,
  ): Promise<ScratchEnvironment> {
    const restore = this.deps.restore.start({
      serverId: input.serverId,
      target: { kind: 'time', time: new Date(input.at).toISOString() },
      destination: { kind: 'scratch' },
      // Dropped right after reading unless kept; a kept one expires like any scratch restore.
      keepHours: input.keepScratch ? 24 : 1,
    });
    const cancel = () => void this.deps.jobs.cancel(restore.id).catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const done = await this.deps.jobs.wait(restore.id);
      if (done.state !== 'succeeded') {
        if (signal.aborted) throw new AppError('CANCELLED', 'The subject restore was cancelled.');
        throw new AppError(
          done.error?.code === 'RESTORE_NOT_COVERED' ? 'RESTORE_NOT_COVERED' : 'RESTORE_FAILED',
          `The point-in-time restore to the moment did not succeed: ${done.error?.message ?? done.state}`,
        );
      }
      return done.result as ScratchEnvironment;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private async read(
    source: SubjectSource,
    map: SubjectMap,
    sql: string,
    step: string,
    signal: AbortSignal,
  ): Promise<SubjectRead> {
    const lines = await runSql(source.shell, source.cluster, source.database, sql, step, signal);
    try {
      return parseSubjectRead(map, lines);
    } catch (err) {
      throw new AppError(
        'SSH_COMMAND_FAILED',
        `${step}: the server's answer is not in the expected form (${(err as Error).message}). Try again.`,
      );
    }
  }
}

/** Per mapped table: its key columns and the keys of the rows read. */
function keysOf(read: SubjectRead) {
  const keyColumns = new Map<number, string[]>();
  const keys = new Map<number, ReturnType<typeof keyOf>[]>();
  for (const [n, t] of read.tables) {
    keyColumns.set(n, t.shape.key);
    keys.set(
      n,
      t.rows.map((r) => keyOf(t.shape, r)),
    );
  }
  return { keyColumns, keys };
}
