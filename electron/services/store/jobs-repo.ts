import type { Job } from '../../../shared/contract';
import { Job as JobSchema } from '../../../shared/contract';
import type { Db } from './database';

interface JobRow {
  id: string;
  kind: string;
  title: string;
  subject_id: string | null;
  state: Job['state'];
  phase: string | null;
  done: number;
  total: number | null;
  eta_seconds: number | null;
  seq: number;
  error_json: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
  started_by: string | null;
  finished_at: string | null;
}

/** Persisted job state, so the UI can show what ran (and what a crash interrupted). */
export class JobsRepo {
  constructor(private readonly db: Db) {}

  save(job: Job): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, title, subject_id, state, phase, done, total, eta_seconds, seq,
                           error_json, result_json, created_at, updated_at, started_by, finished_at)
         VALUES (@id, @kind, @title, @subjectId, @state, @phase, @done, @total, @etaSeconds, @seq,
                 @errorJson, @resultJson, @createdAt, @updatedAt, @startedBy, @finishedAt)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, phase = excluded.phase,
           done = excluded.done, total = excluded.total, eta_seconds = excluded.eta_seconds,
           seq = excluded.seq, error_json = excluded.error_json, result_json = excluded.result_json,
           updated_at = excluded.updated_at, finished_at = excluded.finished_at`,
      )
      .run({
        ...job,
        startedBy: job.startedBy ?? null,
        finishedAt: job.finishedAt ?? null,
        errorJson: job.error ? JSON.stringify(job.error) : null,
        resultJson:
          job.result === null || job.result === undefined ? null : JSON.stringify(job.result),
      });
  }

  get(id: string): Job | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  /**
   * The history, most recent first, without the jobs the admin dismissed; rows that fail
   * validation (older or damaged data) are skipped.
   */
  list(limit = 200): Job[] {
    const rows = this.db
      .prepare('SELECT * FROM jobs WHERE dismissed_at IS NULL ORDER BY created_at DESC LIMIT ?')
      .all(limit) as JobRow[];
    return rows.map(toJob).filter((job): job is Job => job !== null);
  }

  /** Takes an ended job out of the history list; the row stays. False when there is no such job. */
  dismiss(id: string): boolean {
    return (
      this.db
        .prepare('UPDATE jobs SET dismissed_at = ? WHERE id = ?')
        .run(new Date().toISOString(), id).changes > 0
    );
  }

  /** Jobs that were running when the process died can never finish: say so, ended now. */
  markInterrupted(): number {
    const now = new Date().toISOString();
    return this.db
      .prepare(
        `UPDATE jobs SET state = 'interrupted', updated_at = ?, finished_at = ?, eta_seconds = NULL
         WHERE state IN ('queued', 'running')`,
      )
      .run(now, now).changes;
  }
}

function toJob(row: JobRow): Job | null {
  const parsed = JobSchema.safeParse({
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    phase: row.phase,
    done: row.done,
    total: row.total,
    etaSeconds: row.eta_seconds,
    seq: row.seq,
    error: row.error_json ? JSON.parse(row.error_json) : null,
    result: row.result_json ? JSON.parse(row.result_json) : null,
    subjectId: row.subject_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedBy: row.started_by,
    finishedAt: row.finished_at,
  });
  return parsed.success ? parsed.data : null;
}
