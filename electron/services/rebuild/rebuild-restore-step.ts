import crypto from 'node:crypto';
import type { RestoreRequest, ScratchEnvironment } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import type { PlaceOutcome } from '../restore/restore-job';
import { runChildJob } from './child-job';
import { lostConnection, RECONNECT_PAUSE_MS, withReconnect } from './host-link';
import { placeTarget } from './rebuild-place-step';
import type { RebuildJournalEntry } from './rebuild-journal';
import type { RebuildServiceDeps } from './rebuild-service';

/** What the rebuild's restore step works with. */
export type RestoreStepDeps = Pick<
  RebuildServiceDeps,
  'restore' | 'jobs' | 'reconnectWindowMs' | 'remoteRoot' | 'log'
>;

/** The rebuild's request, its restore onto the new host, and the attached files' paths. */
export interface RestoreStepInput {
  request: { port: number };
  restoreRequest: RestoreRequest;
  /** trustedFilePaths of the point's files (read beside the restore's plan). */
  filePaths: Promise<string[]> | undefined;
}

/**
 * The restore onto the new host, or, when the journal says it started (its run folder is
 * known), the same restore followed again there: after a dropped connection the agent went
 * on, detached, and its result is waiting. A cancel drops the scratch environment (the agent
 * removes what it made, the app the restore's config and keys).
 */
export async function restoreOnHost(
  deps: RestoreStepDeps,
  job: JobContext,
  input: RestoreStepInput,
  j: RebuildJournalEntry,
  save: () => void,
): Promise<ScratchEnvironment> {
  const { request, filePaths } = input;
  const scratchId = j.scratchId as string;
  // The same run puts the verified cluster in place; what it did is journaled with the step.
  const place = async () =>
    placeTarget(deps, {
      dataDirectory: j.dataDirectory as string,
      port: request.port,
      files: (await filePaths) ?? [],
    });
  const onPlace = (outcome: PlaceOutcome): void => {
    if (outcome.placed) j.placed = outcome.placed;
    if (outcome.placeError) {
      deps.log?.(`rebuild ${j.rebuildId}: not placed by the restore: ${outcome.placeError}`);
    }
  };
  try {
    if (!j.runDir) {
      try {
        return await runChildJob<ScratchEnvironment>(job, deps.jobs, 'restore', () =>
          deps.restore.start(
            { ...input.restoreRequest, keepHours: 0 },
            {
              scratchId,
              onAgentStarted: (runDir) => {
                j.runDir = runDir;
                save();
              },
              // A list that cannot be read now is read again by the place step.
              place: () => place().catch(() => null),
              onPlace,
            },
          ),
        );
      } catch (err) {
        // Cancelled, or a verdict of the agent: nothing to follow.
        if (job.signal.aborted || !lostConnection(err)) throw err;
        if (!j.runDir) {
          // Lost before the agent started: nothing was restored yet, so it starts again
          // (the half-prepared environment is dropped, its keys with it).
          await deps.restore.dropScratch(scratchId).catch(() => undefined);
          j.scratchId = crypto.randomUUID();
          save();
          await new Promise((r) => setTimeout(r, RECONNECT_PAUSE_MS));
          return withReconnect(job.signal, deps.reconnectWindowMs, () =>
            restoreOnHost(deps, job, input, j, save),
          );
        }
        deps.log?.(`rebuild ${j.rebuildId}: the restore lost its host; following it again`);
      }
    }
    const runDir = j.runDir;
    j.restoreResumes += 1;
    save();
    return await withReconnect(job.signal, deps.reconnectWindowMs, () =>
      deps.restore.resumeRestore(
        scratchId,
        runDir,
        {
          signal: job.signal,
          progress: (phase, done, total) => job.progress('restore', done, total ?? null),
        },
        onPlace,
      ),
    );
  } catch (err) {
    if (job.signal.aborted) await deps.restore.dropScratch(scratchId).catch(() => undefined);
    throw err;
  }
}
