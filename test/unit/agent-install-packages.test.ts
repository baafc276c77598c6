import { describe, expect, it } from 'vitest';
import { plannedPackages } from '../../electron/services/agent-install/packages';
import type { Preflight } from '../../electron/services/agent-install/preflight';

const server = (facts: Partial<Preflight>): Preflight =>
  ({
    pgbackrestInstalled: true,
    resticInstalled: true,
    eatmydataInstalled: true,
    packageManager: 'apt',
    ...facts,
  }) as Preflight;

describe('plannedPackages', () => {
  it('plans nothing for a server that has everything', () => {
    expect(plannedPackages(server({}))).toEqual({ required: [], optional: [] });
  });

  it('requires pgBackRest and restic, and offers eatmydata under its apt or dnf name', () => {
    const bare = { pgbackrestInstalled: false, resticInstalled: false, eatmydataInstalled: false };
    expect(plannedPackages(server(bare))).toEqual({
      required: ['pgbackrest', 'restic'],
      optional: ['eatmydata'],
    });
    expect(plannedPackages(server({ ...bare, packageManager: 'dnf' }))).toEqual({
      required: ['pgbackrest', 'restic'],
      optional: ['libeatmydata'],
    });
  });

  it('offers no optional package where there is no package manager to install it', () => {
    const plan = plannedPackages(server({ eatmydataInstalled: false, packageManager: null }));
    expect(plan.optional).toEqual([]);
  });
});
