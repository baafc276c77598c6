import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthTile } from '../../shared/contract/agent';
import { de } from '../../renderer/app/i18n/de';
import { en } from '../../renderer/app/i18n/en';
import {
  LEVEL_TONES,
  levelLabelKey,
  levelTone,
  sortTiles,
  sourceKey,
  tileTitleKey,
  TILE_ORDER,
  worstTile,
} from '../../renderer/features/dashboard/levels';
import { tileReason } from '../../renderer/features/dashboard/kit-gate';
import { translate } from '../../renderer/app/i18n/translate';
import { createHealthStore } from '../../renderer/stores/health';
import { ApiError } from '../../renderer/lib/api-client';
import { fakeApi, flush, health, job, SERVER_ID } from './renderer-fakes';

const tile = (id: HealthTile['id'], level: HealthTile['level']): HealthTile => ({
  id,
  level,
  value: '1',
  reason: `${id} is ${level}`,
});

describe('tile levels', () => {
  it('gives every level a colour and words in both languages, never colour alone', () => {
    expect(LEVEL_TONES).toEqual({
      ok: 'ok',
      warning: 'warn',
      critical: 'danger',
      unknown: 'neutral',
    });
    expect(levelTone('critical')).toBe('danger');
    expect(
      ['ok', 'warning', 'critical', 'unknown'].map((l) => en[levelLabelKey(l as never)]),
    ).toEqual(['OK', 'Warning', 'Critical', 'Unknown']);
    expect(
      ['ok', 'warning', 'critical', 'unknown'].map((l) => de[levelLabelKey(l as never)]),
    ).toEqual(['OK', 'Warnung', 'Kritisch', 'Unbekannt']);
  });

  it('names every tile and every source', () => {
    for (const id of TILE_ORDER) expect(en[tileTitleKey(id)]).toBeTruthy();
    expect(en[sourceKey('server')]).toBe('Live from the server');
    expect(en[sourceKey('bucket')]).toBe('From the bucket heartbeat (server unreachable)');
    expect(de[sourceKey('bucket')]).toContain('Bucket');
  });

  it('sorts tiles capture first and picks the worst, the first in order on a tie', () => {
    const tiles = [tile('agent', 'warning'), tile('disk', 'critical'), tile('captureLag', 'ok')];
    expect(sortTiles(tiles).map((t) => t.id)).toEqual(['captureLag', 'disk', 'agent']);
    expect(worstTile(tiles)?.id).toBe('disk');
    expect(worstTile([tile('agent', 'warning'), tile('spool', 'warning')])?.id).toBe('spool');
    expect(worstTile([tile('agent', 'unknown'), tile('spool', 'ok')])?.id).toBe('agent');
    expect(worstTile([tile('agent', 'warning'), tile('spool', 'unknown')])?.id).toBe('agent');
    expect(worstTile([])).toBeNull();
  });

  it('names an unconfirmed recovery kit as the most urgent when all else is fine, in words', () => {
    const tiles = [tile('captureLag', 'ok'), tile('recoveryKit', 'warning'), tile('agent', 'ok')];
    const worst = worstTile(tiles) as HealthTile;
    expect(worst.id).toBe('recoveryKit');
    expect(tileReason(worst, (k, p) => translate('de', k, p), 'de')).toMatch(
      /^Noch nicht geschützt: Notfallblatt nicht bestätigt\. Exportieren Sie/,
    );
    expect(de[tileTitleKey('recoveryKit')]).toBe('Notfallblatt');
    expect(en[tileTitleKey('recoveryKit')]).toBe('Recovery kit');
  });
});

describe('health store', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a watched server at once, every interval, and after a finished job', async () => {
    vi.useFakeTimers();
    let n = 0;
    const { api, emit } = fakeApi({
      'status.get': () => health({ checkedAt: `2026-11-26T14:23:0${n++}.000Z` }),
    });
    const store = createHealthStore(api, { refreshMs: 15_000 });
    const stop = store.getState().watch(SERVER_ID);
    const stopAgain = store.getState().watch(SERVER_ID);
    await vi.advanceTimersByTimeAsync(0);
    expect(n).toBe(1);
    expect(store.getState().servers[SERVER_ID]?.health?.level).toBe('ok');

    await vi.advanceTimersByTimeAsync(15_000);
    expect(n).toBe(2);
    emit('job.finished', job({ state: 'succeeded' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(n).toBe(3);

    // Two watchers: the first stop keeps it going, the second ends it.
    stop();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(n).toBe(4);
    stopAgain();
    await vi.advanceTimersByTimeAsync(60_000);
    emit('job.finished', job({ state: 'succeeded' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(n).toBe(4);
    store.dispose();
  });

  it('keeps the last good health next to a failure', async () => {
    let fail = false;
    const { api } = fakeApi({
      'status.get': () => {
        if (fail) throw new ApiError('SSH_UNREACHABLE', 'down');
        return health();
      },
    });
    const store = createHealthStore(api);
    await store.getState().load(SERVER_ID);
    fail = true;
    await store.getState().load(SERVER_ID);
    const entry = store.getState().servers[SERVER_ID];
    expect(entry?.health?.serverName).toBe('ERP');
    expect(entry?.error?.code).toBe('SSH_UNREACHABLE');
    expect(entry?.loading).toBe(false);
    store.dispose();
  });

  it('applies only the newest fleet answer', async () => {
    const answers: ((v: ReturnType<typeof health>[]) => void)[] = [];
    const { api } = fakeApi({
      'status.fleet': () => new Promise((resolve) => answers.push(resolve)),
    });
    const store = createHealthStore(api);
    const first = store.getState().loadFleet();
    const second = store.getState().loadFleet();
    answers[1]?.([health({ level: 'critical' })]);
    await second;
    answers[0]?.([health({ level: 'ok' })]);
    await first;
    await flush();
    expect(store.getState().fleet).toMatchObject({ loaded: true, loading: false });
    expect(store.getState().fleet.list.map((h) => h.level)).toEqual(['critical']);
    store.dispose();
  });
});
