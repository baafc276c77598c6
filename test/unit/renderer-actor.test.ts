import { describe, expect, it } from 'vitest';
import type { ActorInfo } from '../../shared/contract/accountability';
import { createActorStore, needsActorName } from '../../renderer/stores/actor';
import { fakeApi } from './renderer-fakes';

// The name for the accountability log at the console's first start (issue 17 §5): asked while
// none is stored, not again once saved; "Later" hides the question for this session only; a
// name set for the session (KUMIKO_ACTOR) is never asked for.

function stored(initial: ActorInfo) {
  let info = initial;
  return fakeApi({
    'settings.actor.get': () => info,
    'settings.actor.set': ({ actorName }) => {
      info = { actorName, osUser: info.osUser, source: 'settings' };
      return info;
    },
  });
}

describe('the first-start name', () => {
  it('is asked for while none is stored, and not once it is saved', async () => {
    const { api, calls } = stored({ actorName: null, osUser: 'dana', source: 'none' });
    const store = createActorStore(api);
    expect(needsActorName(store.getState())).toBe(false); // not known yet: nothing flashes up
    await store.getState().load();
    expect(needsActorName(store.getState())).toBe(true);
    await store.getState().save('Dana DPO');
    expect(needsActorName(store.getState())).toBe(false);
    expect(calls.at(-1)).toEqual({
      name: 'settings.actor.set',
      input: { actorName: 'Dana DPO' },
    });
    // The next start reads the stored name and asks nothing.
    const next = createActorStore(api);
    await next.getState().load();
    expect(next.getState().info?.actorName).toBe('Dana DPO');
    expect(needsActorName(next.getState())).toBe(false);
  });

  it('"Later" hides it for this session; the next start asks again', async () => {
    const { api } = stored({ actorName: null, osUser: 'dana', source: 'none' });
    let remembered = false;
    const store = createActorStore(api, { onLater: () => (remembered = true) });
    await store.getState().load();
    store.getState().remindLater();
    expect(remembered).toBe(true);
    expect(needsActorName(store.getState())).toBe(false);
    const reloaded = createActorStore(api, { later: remembered });
    await reloaded.getState().load();
    expect(needsActorName(reloaded.getState())).toBe(false);
    const nextStart = createActorStore(api);
    await nextStart.getState().load();
    expect(needsActorName(nextStart.getState())).toBe(true);
  });

  it('is not asked for when the session names the person (KUMIKO_ACTOR)', async () => {
    const { api } = stored({ actorName: 'ops-bot', osUser: 'root', source: 'env' });
    const store = createActorStore(api);
    await store.getState().load();
    expect(needsActorName(store.getState())).toBe(false);
  });
});
