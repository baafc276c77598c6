import type { AgentRestoreResult } from '../../shared/agent/restore';
import { AgentPlaceSpec, type AgentPlaceTarget } from '../../shared/agent/rebuild';
import type { ScratchRestoreOutcome } from '../restore/scratch-restore';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { placeRebuiltCluster } from './place-cluster';

/**
 * A rebuild's restore with `spec.place` (issue 19): once every check passed, the same run puts
 * the verified cluster in place (`rebuild-place`'s work), so the app's round trips and a second
 * agent start are not part of the time to recovery. Nothing is placed after a failed check or
 * a cancel. A place that fails leaves the verified scratch environment as it is and says why
 * in the result: the app runs `rebuild-place` again, which reports it or finishes it.
 */
export async function placeVerifiedRestore(
  ctx: AgentContext,
  id: string,
  place: AgentPlaceTarget | undefined,
  outcome: ScratchRestoreOutcome,
): Promise<AgentRestoreResult> {
  if (!place || outcome.exitCode !== 0 || ctx.signal?.aborted) return outcome.result;
  try {
    const placed = await placeRebuiltCluster(ctx, AgentPlaceSpec.parse({ ...place, id }));
    return { ...outcome.result, placed };
  } catch (error) {
    const reason = errorMessage(error);
    ctx.log.warn(`rebuild ${id}: the verified cluster was not put in place: ${reason}`);
    return { ...outcome.result, placeError: reason.slice(0, 4000) };
  }
}
