import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type KumikoBridge,
} from '../../shared/contract/bridge';
import { isCommandName, type CommandOutput } from '../../shared/contract/commands';
import { isEventName, type EventName } from '../../shared/contract/events';
import { fail, type Result } from '../../shared/contract/result';

type IpcLike = Pick<typeof ipcRenderer, 'invoke' | 'on'>;
type Listener = (payload: unknown) => void;

/**
 * The whole surface the renderer gets: invoke(name, input) and on(event, cb), both checked
 * against the contract before anything crosses. ipcRenderer itself never leaves this file.
 */
export function createBridge(ipc: IpcLike): KumikoBridge {
  const listeners = new Map<EventName, Set<Listener>>();
  ipc.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
    if (!isEventName(name)) return;
    for (const listener of listeners.get(name) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`[kumiko] listener for ${name} failed`, err);
      }
    }
  });

  const bridge: KumikoBridge = {
    invoke(name, input) {
      type Out = Result<CommandOutput<typeof name>>;
      if (!isCommandName(name)) {
        return Promise.resolve(fail('UNKNOWN_COMMAND', `Unknown command: ${String(name)}`) as Out);
      }
      return (ipc.invoke(IPC_INVOKE_CHANNEL, name, input) as Promise<Out>).catch(
        () => fail('INTERNAL', `IPC for ${name} failed`) as Out,
      );
    },
    on(event, listener) {
      if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const entry = listener as Listener;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };
  return Object.freeze(bridge);
}

contextBridge.exposeInMainWorld('kumiko', createBridge(ipcRenderer));
