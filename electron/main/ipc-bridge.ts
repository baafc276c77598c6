import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/bridge';
import type { EventName } from '../../shared/contract/events';
import { fail, type Result } from '../../shared/contract/result';
import { isAppUrl } from './security';

export type Dispatch = (name: string, input: unknown) => Promise<Result<unknown>>;
export type EventListener = (name: EventName, payload: unknown) => void;

export interface IpcBridgeOptions {
  /** The app's main window; IPC from any other window or frame is refused. */
  getWindow: () => BrowserWindow | null;
  /** The URL the window loads (file:// of dist/renderer/index.html or the dev server). */
  entryUrl: string;
  dispatch: Dispatch;
  /** Core events to forward to the window; returns an unsubscribe. */
  subscribe?: (listener: EventListener) => () => void;
}

/** Only the top frame of the app's own window, showing the app's own URL, may call. */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: BrowserWindow | null,
  entryUrl: string,
): boolean {
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  const frame = event.senderFrame;
  if (event.sender !== contents || !frame || frame.parent !== null) return false;
  const top = contents.mainFrame;
  if (frame !== top && (frame.processId !== top.processId || frame.routingId !== top.routingId)) {
    return false;
  }
  return isAppUrl(frame.url, entryUrl);
}

/** Sends a core event to the window, if it still shows the app. */
export function sendEvent(
  window: BrowserWindow | null,
  entryUrl: string,
  name: EventName,
  payload: unknown,
): void {
  if (!window || window.isDestroyed()) return;
  const contents = window.webContents;
  if (contents.isDestroyed() || !isAppUrl(contents.getURL(), entryUrl)) return;
  contents.send(IPC_EVENT_CHANNEL, name, payload);
}

/** Registers the one invoke channel and the event forwarding; returns a disposer. */
export function installIpcBridge(options: IpcBridgeOptions): () => void {
  const { getWindow, entryUrl, dispatch } = options;
  ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    async (event, name: unknown, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, getWindow(), entryUrl)) {
        return fail('UNAUTHORIZED', 'IPC sender is not the app window');
      }
      if (typeof name !== 'string') return fail('UNKNOWN_COMMAND', 'Command name is not a string');
      try {
        return await dispatch(name, input);
      } catch {
        return fail('INTERNAL', `Command ${name} failed unexpectedly`);
      }
    },
  );
  const unsubscribe = options.subscribe?.((name, payload) =>
    sendEvent(getWindow(), entryUrl, name, payload),
  );
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe?.();
  };
}
