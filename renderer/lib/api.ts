import type { KumikoBridge } from '../../shared/contract/bridge';
import { fail } from '../../shared/contract/result';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/contract/commands';
import { createApiClient, type ApiClient } from './api-client';
import { createWsBridge, type ConnectionStatus as SocketStatus } from './ws-bridge';

export { ApiError, toApiError, describeDetails, type ApiClient } from './api-client';

/** The transport's state; 'no-token' when the page was opened without the printed URL's token. */
export type ConnectionStatus = SocketStatus | 'no-token';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    kumiko?: KumikoBridge;
  }
}

const TOKEN_KEY = 'kumiko.token';

/**
 * Browser mode opens the page as /?token=…: keep the token for this tab in sessionStorage (so
 * a reload still has it) and take it out of the address bar (and so out of history and
 * screenshots) at once. The server sets no cookie: a cookie would reach every 127.0.0.1 port.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Without sessionStorage a reload loses the token; the page still works until then.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

let bridge: KumikoBridge | null = null;
let status: ConnectionStatus = 'open';
const statusListeners = new Set<(status: ConnectionStatus) => void>();

function setStatus(next: ConnectionStatus): void {
  status = next;
  for (const listener of statusListeners) listener(next);
}

/** window.kumiko in Electron; otherwise the WebSocket bridge to the page's own origin. */
export function getBridge(): KumikoBridge {
  if (bridge) return bridge;
  if (window.kumiko) {
    bridge = window.kumiko;
    return bridge;
  }
  const token = takeToken();
  if (!token) {
    // Without the token every call would be refused: say so once instead of retrying forever.
    status = 'no-token';
    bridge = {
      invoke: () =>
        Promise.resolve(fail('UNAUTHORIZED', 'Open the URL printed by `kumiko serve`.')),
      on: () => () => undefined,
    };
    return bridge;
  }
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWsBridge({
    url: `${scheme}//${window.location.host}/ws?token=${encodeURIComponent(token)}`,
  });
  status = ws.status;
  ws.onStatus(setStatus);
  bridge = ws;
  return bridge;
}

/** Whether the transport is up; always 'open' in Electron. */
export function getConnectionStatus(): ConnectionStatus {
  return status;
}

export function onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

let client: ApiClient | null = null;

/** The app-wide typed client over getBridge(). */
export function api(): ApiClient {
  client ??= createApiClient(getBridge());
  return client;
}

/** Runs a command: resolves with its value or throws an ApiError carrying code and message. */
export function call<N extends CommandName>(
  name: N,
  input: CommandInput<N>,
): Promise<CommandOutput<N>> {
  return api().call(name, input);
}
