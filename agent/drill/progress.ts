import type { DrillPhase, DrillProgress } from '../../shared/agent/drill';
import type { Logger } from '../runtime/log';

/** Reports a step of the drill: phase, what happens, and how far where that is known. */
export type ProgressFn = (
  phase: DrillPhase,
  message: string,
  done?: number,
  total?: number,
) => void;

/**
 * Progress for the log (each phase once, so the daemon's log tells the story without byte
 * counts) and for `onProgress` (every update: `--progress` prints them for the app).
 */
export function progressReporter(
  log: Logger,
  onProgress?: (progress: DrillProgress) => void,
): ProgressFn {
  let lastPhase: DrillPhase | null = null;
  return (phase, message, done, total) => {
    if (phase !== lastPhase) log.info(`drill: ${phase}: ${message}`);
    lastPhase = phase;
    onProgress?.({
      phase,
      message: message.slice(0, 500),
      ...(done !== undefined ? { done } : {}),
      ...(total !== undefined ? { total } : {}),
    });
  };
}
