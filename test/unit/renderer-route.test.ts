import { describe, expect, it } from 'vitest';
import { pathToRoute, routeToPath, type Route } from '../../renderer/app/route';

// The console's addresses (issue 16 §3): every page has one, it reads back as the same page,
// and anything else is "page not found" rather than a guess.

const id = '3f2c9a1e-7b4d-4e2a-9c1f-0a1b2c3d4e5f';
const drill = 'drill-20261206T064500Z';
const at = '2026-12-06T06:45:12.345Z';

/** Every page, once with and once without its optional parts, and the address it has. */
const ROUTES: readonly [Route, string][] = [
  [{ name: 'start' }, '/'],
  [{ name: 'fleet' }, '/fleet'],
  [{ name: 'servers' }, '/servers'],
  [{ name: 'add' }, '/servers/new'],
  [{ name: 'scratch' }, '/scratch'],
  [{ name: 'rebuild' }, '/rebuild'],
  [{ name: 'jobs' }, '/jobs'],
  [{ name: 'accountability' }, '/accountability'],
  [{ name: 'verify' }, '/reports/verify'],
  [{ name: 'help' }, '/help'],
  [{ name: 'about' }, '/about'],
  [{ name: 'settings' }, '/settings'],
  [{ name: 'server', id }, `/servers/${id}`],
  [{ name: 'install', id }, `/servers/${id}/install`],
  [{ name: 'dashboard', id }, `/servers/${id}/status`],
  [{ name: 'timeline', id }, `/servers/${id}/timeline`],
  [{ name: 'timeline', id, at }, `/servers/${id}/timeline?at=${encodeURIComponent(at)}`],
  [{ name: 'restore', id }, `/servers/${id}/restore`],
  [{ name: 'drills', id }, `/servers/${id}/drills`],
  [{ name: 'drills', id, drill }, `/servers/${id}/drills/${drill}`],
  [{ name: 'gdpr', id }, `/servers/${id}/gdpr`],
  [{ name: 'records', id }, `/servers/${id}/records`],
];

function split(address: string): [string, string] {
  const [path = '', search = ''] = address.split('?');
  return [path, search];
}

describe('route addresses', () => {
  it('covers every page name', () => {
    const names = new Set(ROUTES.map(([r]) => r.name));
    // One entry per member of the Route union; a new page without an address fails here.
    const all: Record<Route['name'], true> = {
      start: true,
      fleet: true,
      servers: true,
      add: true,
      server: true,
      install: true,
      dashboard: true,
      timeline: true,
      restore: true,
      drills: true,
      gdpr: true,
      records: true,
      scratch: true,
      rebuild: true,
      jobs: true,
      accountability: true,
      verify: true,
      help: true,
      about: true,
      settings: true,
    };
    expect([...names].sort()).toEqual(Object.keys(all).sort());
  });

  it.each(ROUTES)('%o is written as %s and read back as itself', (route, address) => {
    expect(routeToPath(route)).toBe(address);
    expect(pathToRoute(...split(address))).toEqual(route);
  });

  it('reads a trailing slash and an escaped id as the same page', () => {
    expect(pathToRoute('/fleet/')).toEqual({ name: 'fleet' });
    expect(pathToRoute(`/servers/${id}/drills/`)).toEqual({ name: 'drills', id });
    expect(pathToRoute('/servers/a%2Db/status')).toEqual({ name: 'dashboard', id: 'a-b' });
  });

  it('gives every page its own address', () => {
    const addresses = ROUTES.map(([r]) => routeToPath(r));
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it.each([
    ['/nope', ''],
    ['', ''],
    ['/servers/new/status', ''],
    ['/servers/x/unknown', ''],
    ['/servers/x/status/extra', ''],
    ['/servers/x/drills/a/b', ''],
    ['/servers/x/timeline/2026', ''],
    ['/servers/../fleet', ''],
    ['/servers/%2e%2e/status', ''],
    ['/servers/a%2Fb', ''],
    ['/servers/%E0%A4%A', ''],
    ['/servers/<script>', ''],
    [`/servers/${'a'.repeat(129)}`, ''],
    ['/servers/x/drills/..', ''],
    ['/servers/x/timeline', 'at=yesterday'],
    ['/servers/x/timeline', 'at=2026-13-45T99:99:99Z'],
    ['/servers/x/timeline', 'at=2026-12-06T06:45:12+01:00'],
    ['/servers/x/timeline', `at=${at}&at=${at}`],
    ['/servers/x/timeline', `at=${at}&x=1`],
    ['/servers/x/status', 'at=2026-12-06T06:45:12Z'],
    ['/fleet', 'x=1'],
    ['/servers/x/drills/d', 'x=1'],
  ])('rejects %s?%s as no page', (path, search) => {
    expect(pathToRoute(path, search)).toBeNull();
  });
});
