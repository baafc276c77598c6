import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WireMessage, WireRequest } from '../../shared/contract/bridge';
import { backoffDelay, createWsBridge, type SocketLike } from '../../renderer/lib/ws-bridge';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: WireRequest[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as WireRequest);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  deliver(message: WireMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

describe('ws bridge', () => {
  let sockets: FakeSocket[];
  const create = (url: string) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  };
  const last = () => sockets[sockets.length - 1]!;

  beforeEach(() => {
    sockets = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues invokes until open, then matches results by id', async () => {
    const bridge = createWsBridge({ url: 'ws://127.0.0.1:1/ws?token=t', createSocket: create });
    expect(bridge.status).toBe('connecting');
    const pending = bridge.invoke('app.info', {});
    expect(last().sent).toEqual([]);
    last().open();
    expect(bridge.status).toBe('open');
    expect(last().sent).toEqual([{ type: 'invoke', id: 1, name: 'app.info', input: {} }]);
    last().deliver({
      type: 'result',
      id: 1,
      result: { ok: true, value: { version: '1', transport: 'web' } },
    });
    await expect(pending).resolves.toEqual({ ok: true, value: { version: '1', transport: 'web' } });
    bridge.close();
  });

  it('delivers events to listeners until they unsubscribe', () => {
    const bridge = createWsBridge({ url: 'ws://x/ws', createSocket: create });
    last().open();
    const seen: string[] = [];
    const off = bridge.on('servers.changed', (p) => seen.push(p.serverId));
    last().deliver({ type: 'event', name: 'servers.changed', payload: { serverId: 'a' } });
    off();
    last().deliver({ type: 'event', name: 'servers.changed', payload: { serverId: 'b' } });
    expect(seen).toEqual(['a']);
    bridge.close();
  });

  it('fails in-flight requests on a drop, reconnects with backoff and sends queued ones', async () => {
    const bridge = createWsBridge({
      url: 'ws://x/ws',
      createSocket: create,
      backoff: { initialMs: 100, maxMs: 1000 },
      random: () => 1,
    });
    const statuses: string[] = [];
    bridge.onStatus((s) => statuses.push(s));
    last().open();
    const inFlight = bridge.invoke('servers.list', {});
    last().drop();
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(statuses).toEqual(['open', 'reconnecting']);

    const queued = bridge.invoke('jobs.list', {});
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    last().drop(); // second attempt fails too: the next wait doubles
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().open();
    expect(last().sent.map((r) => r.name)).toEqual(['jobs.list']);
    last().deliver({ type: 'result', id: last().sent[0]!.id, result: { ok: true, value: [] } });
    await expect(queued).resolves.toEqual({ ok: true, value: [] });
    bridge.close();
    expect(bridge.status).toBe('closed');
  });

  it('ignores malformed messages and unknown ids', () => {
    const bridge = createWsBridge({ url: 'ws://x/ws', createSocket: create });
    last().open();
    expect(() => last().onmessage?.({ data: '{nope' })).not.toThrow();
    expect(() =>
      last().deliver({ type: 'result', id: 42, result: { ok: true, value: 1 } }),
    ).not.toThrow();
    bridge.close();
  });

  it('caps the backoff and adds jitter', () => {
    expect(backoffDelay(0, 250, 10_000, 1)).toBe(250);
    expect(backoffDelay(3, 250, 10_000, 1)).toBe(2000);
    expect(backoffDelay(20, 250, 10_000, 1)).toBe(10_000);
    expect(backoffDelay(20, 250, 10_000, 0)).toBe(5000);
  });
});
