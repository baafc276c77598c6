import type { CommandInput, CommandName, CommandOutput } from './commands';
import type { EventName, EventPayload } from './events';
import type { Result } from './result';

/**
 * What the renderer sees as `window.kumiko`, whether the preload (Electron) or the
 * WebSocket bridge (browser mode) provides it. Nothing else crosses the boundary.
 */
export interface KumikoBridge {
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<Result<CommandOutput<N>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Browser-mode wire format over the WebSocket. */
export type WireRequest = { type: 'invoke'; id: number; name: string; input: unknown };
export type WireMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; name: EventName; payload: unknown };

/** IPC channel names, declared once. */
export const IPC_INVOKE_CHANNEL = 'kumiko:invoke';
export const IPC_EVENT_CHANNEL = 'kumiko:event';
