import { z } from 'zod';
import { AgentPlaceResult } from '../../../shared/agent/rebuild';
import { RebuildRequest, ScratchEnvironment } from '../../../shared/contract';
import type { Db } from '../store/database';

/**
 * Where a rebuild is: written before and after every step, so a resumed rebuild
 * (`rebuild.resume`) skips what finished. The restore's scratch id and the agent's run folder
 * on the host are written before the restore starts: a restore the app lost sight of is
 * followed again there (the agent goes on, detached), never started over.
 */
export const RebuildJournalEntry = z.object({
  rebuildId: z.string(),
  jobId: z.string(),
  request: RebuildRequest,
  /** The step running (or the last one, once `done`). */
  step: z.enum(['preflight', 'restore', 'place', 'capture', 'verify', 'done']),
  /** When the first job of this rebuild started: the RTO counts from here. */
  startedAt: z.string(),
  seconds: z.record(z.string(), z.number()),
  scratchId: z.string().nullable(),
  runDir: z.string().nullable(),
  env: ScratchEnvironment.nullable(),
  placed: AgentPlaceResult.nullable(),
  filesFrom: z.string().nullable(),
  dataDirectory: z.string().nullable(),
  /** How often the restore was followed again after its host was lost. */
  restoreResumes: z.number().int().default(0),
});
export type RebuildJournalEntry = z.infer<typeof RebuildJournalEntry>;

/** The `rebuild_journal` table. */
export class RebuildJournal {
  constructor(private readonly db: Db) {}

  save(entry: RebuildJournalEntry): void {
    this.db
      .prepare(
        `INSERT INTO rebuild_journal (rebuild_id, job_id, state_json, updated_at)
         VALUES (@id, @job, @json, @at)
         ON CONFLICT(rebuild_id) DO UPDATE SET job_id = excluded.job_id,
           state_json = excluded.state_json, updated_at = excluded.updated_at`,
      )
      .run({
        id: entry.rebuildId,
        job: entry.jobId,
        json: JSON.stringify(entry),
        at: new Date().toISOString(),
      });
  }

  /** The rebuild a job ran (the newest job of it), or null. Stored JSON is validated. */
  byJob(jobId: string): RebuildJournalEntry | null {
    const row = this.db
      .prepare('SELECT state_json FROM rebuild_journal WHERE job_id = ?')
      .get(jobId) as { state_json: string } | undefined;
    if (!row) return null;
    const parsed = RebuildJournalEntry.safeParse(JSON.parse(row.state_json));
    return parsed.success ? parsed.data : null;
  }
}
