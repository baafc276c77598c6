import { z } from 'zod';

/**
 * Hard delete on rollover (issue 17 §3): an erasure is final once no retained recovery point
 * predates it, so no restore can reach a moment before it. The agent decides that in its
 * retention run and puts one mark per erasure into the bucket (bucketLayout.gdprFinalPrefix),
 * signed with its own key (the ledger entries are the app's: the agent cannot re-sign them).
 * The app shows the mark only when it verifies against the agent key pinned at install.
 */
export const ErasureFinalMark = z
  .object({
    format: z.literal('kumiko-erasure-final-1'),
    serverId: z.string().min(1).max(64),
    erasureId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    erasedAt: z.string().datetime({ offset: true }),
    /** When the retention run found no retained point older than the erasure. */
    finalAt: z.string().datetime({ offset: true }),
    /** The oldest point still retained then (it started after the erasure); null: none left. */
    oldestRetained: z
      .object({ label: z.string().min(1).max(100), startedAt: z.string().datetime() })
      .strict()
      .nullable(),
  })
  .strict();
export type ErasureFinalMark = z.infer<typeof ErasureFinalMark>;

/** SSHSIG namespace of final marks: no manifest, report or ledger signature verifies as one. */
export const ERASURE_FINAL_NAMESPACE = 'kumiko-erasure-final@kumiko';

/** A final mark in the bucket: the exact JSON text signed, and the agent's armored SSHSIG. */
export const SignedFinalMark = z
  .object({
    format: z.literal('kumiko-erasure-final-signed-1'),
    mark: z.string().min(2).max(4_000),
    signature: z.string().min(1).max(4_000),
  })
  .strict();
export type SignedFinalMark = z.infer<typeof SignedFinalMark>;

/** A retained recovery point: its label and when its backup started (epoch ms). */
export interface RetainedPoint {
  label: string;
  startedMs: number;
}

/**
 * Whether an erasure at `erasedAt` is final: every retained point's backup started after it.
 * A backup that started before the erasure can be restored to a moment before it (PITR), so
 * "predates" means started before, even if it ended after.
 */
export function erasureIsFinal(erasedAt: string, retained: readonly RetainedPoint[]): boolean {
  const at = Date.parse(erasedAt);
  return Number.isFinite(at) && retained.every((p) => p.startedMs > at);
}

/** The oldest retained point (by backup start), or null. */
export function oldestRetained(retained: readonly RetainedPoint[]): RetainedPoint | null {
  return retained.reduce<RetainedPoint | null>(
    (oldest, p) => (oldest === null || p.startedMs < oldest.startedMs ? p : oldest),
    null,
  );
}
