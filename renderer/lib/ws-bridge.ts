import type { CommandInput, CommandName, CommandOutput } from '../../shared/contract/commands';
import type { EventName, EventPayload } from '../../shared/contract/events';
import type { KumikoBridge, WireMessage, WireRequest } from '../../shared/contract/bridge';
import type { Result } from '../../shared/contract/result';

/**
 * Browser-mode transport: the contract over one WebSocket to electron/web. Requests made
 * while the socket is down are queued and sent once it is open again; requests already sent
 * when it drops are answered with an error, since we cannot know whether main ran them.
 * The socket reconnects with exponential backoff until `close()`.
 */

/** The part of the DOM WebSocket we use, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WsBridgeOptions {
  url: string;
  /** Defaults to the global WebSocket. */
  createSocket?: (url: string) => SocketLike;
  /** First retry delay and the cap, in ms. Defaults: 250 ms, 10 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** 0..1 randomness source for jitter; tests pin it. */
  random?: () => number;
}

export interface WsBridge extends KumikoBridge {
  readonly status: ConnectionStatus;
  /** Called on every status change; returns an unsubscribe function. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Closes the socket for good and fails everything pending. */
  close(): void;
}

const OPEN = 1;

export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: number,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  // Jitter between 50 % and 100 % so many tabs do not reconnect in lockstep.
  return Math.round(base * (0.5 + random / 2));
}

function disconnected(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message:
        'The connection to the app was lost before it answered. Check the result and try again.',
      details: { transport: 'disconnected' },
    },
  };
}

function defaultSocket(url: string): SocketLike {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
  if (!Ctor) throw new Error('WebSocket is not available in this environment');
  return new Ctor(url);
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const createSocket = options.createSocket ?? defaultSocket;
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  const random = options.random ?? Math.random;

  let socket: SocketLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let attempt = 0;
  let closedForGood = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;

  /** Sent, waiting for an answer. */
  const inFlight = new Map<number, (result: Result<unknown>) => void>();
  /** Not sent yet because the socket was not open. */
  const queue: { request: WireRequest; resolve: (result: Result<unknown>) => void }[] = [];
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function send(request: WireRequest, resolve: (result: Result<unknown>) => void): void {
    if (socket && socket.readyState === OPEN) {
      inFlight.set(request.id, resolve);
      socket.send(JSON.stringify(request));
    } else {
      queue.push({ request, resolve });
    }
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WireMessage;
    try {
      message = JSON.parse(data) as WireMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const resolve = inFlight.get(message.id);
      if (!resolve) return;
      inFlight.delete(message.id);
      resolve(message.result);
    } else if (message.type === 'event') {
      const listeners = eventListeners.get(message.name);
      if (!listeners) return;
      for (const listener of [...listeners]) {
        try {
          listener(message.payload);
        } catch (err) {
          // One broken listener must not starve the others.
          console.error(`listener for ${message.name} failed`, err);
        }
      }
    }
  }

  function connect(): void {
    retryTimer = null;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      attempt = 0;
      setStatus('open');
      for (const { request, resolve } of queue.splice(0)) send(request, resolve);
    };
    s.onmessage = (ev) => {
      if (socket === s) handleMessage(ev.data);
    };
    s.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      for (const resolve of inFlight.values()) resolve(disconnected());
      inFlight.clear();
      if (closedForGood) return;
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    setStatus('reconnecting');
    const delay = backoffDelay(attempt, initialMs, maxMs, random());
    attempt += 1;
    retryTimer = setTimeout(connect, delay);
  }

  connect();

  return {
    get status() {
      return status;
    },
    invoke<N extends CommandName>(
      name: N,
      input: CommandInput<N>,
    ): Promise<Result<CommandOutput<N>>> {
      if (closedForGood) return Promise.resolve(disconnected());
      return new Promise((resolve) => {
        const request: WireRequest = { type: 'invoke', id: nextId++, name, input };
        send(request, resolve as (result: Result<unknown>) => void);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) {
        set = new Set();
        eventListeners.set(event, set);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        eventListeners.get(event)?.delete(wrapped);
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    close() {
      closedForGood = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const s = socket;
      socket = null;
      s?.close(1000, 'closed by the page');
      for (const resolve of inFlight.values()) resolve(disconnected());
      inFlight.clear();
      for (const { resolve } of queue.splice(0)) resolve(disconnected());
      setStatus('closed');
    },
  };
}
