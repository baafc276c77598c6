import path from 'node:path';
import { ZodError } from 'zod';
import type {
  AccountabilityExportInput,
  AccountabilityExportResult,
  AccountabilityFilter,
  AccountabilityList,
  AccountabilityVerdict,
  ActorInfo,
  Job,
} from '../../../shared/contract';
import { isAppError } from '../app-error';
import type { EventBus } from '../events/event-bus';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { AccountabilityRepo, type AccountabilityRecord } from './accountability-repo';
import type { Described } from './action-table';
import { ActorSettings } from './actor-settings';
import { writeLogExport } from './log-export';
import { SubjectReference } from './subject-reference';

export interface AccountabilityDeps {
  db: Db;
  dataDir: string;
  secrets: SecretStore;
  events: EventBus;
  /** The CLI's --actor: wins over KUMIKO_ACTOR and the stored name. */
  actorName?: string;
  /** The job, if it already ended (a job that finished before its watch was set). */
  finishedJob: (jobId: string) => Job | null;
  /** Diagnostics sink: an entry that could not be written is said here, never swallowed. */
  log?: (line: string) => void;
}

/**
 * The accountability log (issue 17 §5): who did what, when, with what result. Commands are
 * recorded by the dispatch wrapper (recording-handlers.ts) from ACTION_TABLE; a job's outcome
 * is recorded when the job ends, beside the entry written when it started.
 */
export class AccountabilityService {
  readonly actor: ActorSettings;
  private readonly repo: AccountabilityRepo;
  private readonly subjects: SubjectReference;
  private readonly watched = new Map<string, Described>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: AccountabilityDeps) {
    this.repo = new AccountabilityRepo(deps.db);
    this.actor = new ActorSettings(deps.db, () => deps.actorName ?? process.env.KUMIKO_ACTOR);
    this.subjects = new SubjectReference(deps.secrets);
    this.unsubscribe = deps.events.subscribe((name, payload) => {
      if (name === 'job.finished') this.jobEnded(payload as Job);
    });
  }

  ref(value: string): Promise<string> {
    return this.subjects.of(value);
  }

  record(record: AccountabilityRecord): void {
    this.repo.append(record, this.actor.who());
  }

  /** An outcome entry that fails to write must not turn a done restore into a failed one. */
  recordOutcome(record: AccountabilityRecord): void {
    try {
      this.record(record);
    } catch (err) {
      this.deps.log?.(
        `accountability: could not record ${record.action}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** Records the outcome of job `jobId` when it ends. */
  watchJob(jobId: string, described: Described): void {
    this.watched.set(jobId, described);
    const done = this.deps.finishedJob(jobId);
    if (done) this.jobEnded(done);
  }

  list(filter: AccountabilityFilter): AccountabilityList {
    return this.repo.list(filter);
  }

  verify(): AccountabilityVerdict {
    return this.repo.verify();
  }

  actorInfo(): ActorInfo {
    return this.actor.info();
  }

  setActor(actorName: string): ActorInfo {
    return this.actor.set(actorName);
  }

  async export(input: AccountabilityExportInput): Promise<AccountabilityExportResult> {
    const { outputDirectory, ...filter } = input;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const parent = outputDirectory ?? path.join(this.deps.dataDir, 'activity-exports');
    return writeLogExport(this.deps.secrets, {
      directory: path.join(path.resolve(parent), `activity-log-${stamp}`),
      entries: this.repo.list({ ...filter, limit: filter.limit ?? 10_000 }).entries,
      filter,
      verdict: this.repo.verify(),
      exportedBy: this.actor.who(),
    });
  }

  close(): void {
    this.unsubscribe();
  }

  private jobEnded(job: Job): void {
    const described = this.watched.get(job.id);
    if (!described || !job.finishedAt) return;
    this.watched.delete(job.id);
    const ok = job.state === 'succeeded';
    this.recordOutcome({
      ...described,
      params: { ...described.params, jobId: job.id },
      result: ok ? 'ok' : 'failed',
      errorCode: ok ? null : (job.error?.code ?? job.state.toUpperCase()),
    });
  }
}

/** The stable code of what a command threw, as the router reports it. */
export function errorCodeOf(err: unknown): string {
  if (isAppError(err)) return err.code;
  if (err instanceof ZodError) return 'INVALID_INPUT';
  return 'INTERNAL';
}
