import { describe, expect, it } from 'vitest';
import {
  hostPackagesScript,
  missingHostPackages,
} from '../../electron/services/rebuild/host-packages';

describe('rebuild: the packages a fresh host gets', () => {
  it('names what the pre-flight found missing, in apt names', () => {
    const none = new Map([
      ['pgBinaries', 'yes'],
      ['pgbackrest', 'yes'],
      ['restic', 'yes'],
    ]);
    expect(missingHostPackages('15', none)).toEqual([]);
    expect(missingHostPackages('15', new Map())).toEqual(['postgresql-15', 'pgbackrest', 'restic']);
    // The major version comes from the old server's catalog: anything but digits installs nothing.
    expect(missingHostPackages('15; reboot', new Map())).toEqual([]);
  });

  it('keeps Debian from creating and starting a cluster where the rebuild restores', () => {
    const script = hostPackagesScript('15', ['postgresql-15', 'pgbackrest']);
    const lines = script.split('\n');
    const dropIn = lines.findIndex((l) => l.includes("'create_main_cluster = false"));
    const install = lines.findIndex((l) => l.startsWith('apt-get install'));
    expect(dropIn).toBeGreaterThan(-1);
    expect(install).toBeGreaterThan(dropIn);
    expect(lines[install]).toBe(
      "apt-get install -y -q --no-install-recommends 'postgresql-15' 'pgbackrest'",
    );
    expect(script).toContain(
      "trap 'rm -f /etc/postgresql-common/createcluster.d/kumiko-rebuild.conf' EXIT",
    );
    // A main cluster that was there before is never dropped: only the one the install made.
    expect(script).toMatch(/had_main=no; \[ -e '\/etc\/postgresql\/15\/main' \] && had_main=yes/);
    expect(lines.at(-1)).toBe(
      `if [ "$had_main" = no ] && [ -e '/etc/postgresql/15/main' ]; then pg_dropcluster --stop '15' main; fi`,
    );
  });

  it('updates the package lists first only where apt never did (many cloud images)', () => {
    const lines = hostPackagesScript('15', ['postgresql-15']).split('\n');
    const update = lines.findIndex((l) => l.includes('apt-get update'));
    expect(lines[update]).toBe(
      'if ! ls /var/lib/apt/lists 2>/dev/null | grep -q _Packages; then apt-get update -q; fi',
    );
    expect(update).toBeLessThan(lines.findIndex((l) => l.startsWith('apt-get install')));
  });

  it('refuses names that are not package names', () => {
    expect(() => hostPackagesScript('15', ['pgbackrest; reboot'])).toThrow('package name');
    expect(() => hostPackagesScript('x', ['restic'])).toThrow('major version');
  });
});
