import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Integration and fault files share one pool of three workers (below). Vitest
// orders a clean clone's files by project name and file size, so the three-minute outages
// could start last and leave one worker running alone for minutes while the others idle. The
// files below took longest in CI runs (seconds, December 2026, mostly waiting); they start
// first, longest first. Every other file keeps vitest's own order after them.
const LONGEST_FIRST = [
  'test/faults/s3-slow-partition.test.ts', // 340: a three-minute network cut
  'test/faults/s3-errors.test.ts', // 255: three minutes of 500/503
  'test/faults/backup-byte-flipped.test.ts', // 150-240: four drills
  'test/integration/capture-outage.test.ts', // 160: a 2.5-minute outage
  'test/integration/drill-under-load.test.ts', // 155: ten drills under load
  'test/integration/cli-json.test.ts', // 170: dozens of CLI runs, three at a time
  'test/integration/kit-earlier-keys.test.ts', // 145: an install, uninstall and reinstall
  'test/integration/restore-pitr.test.ts', // 112
  'test/integration/agent-install.test.ts', // 104
  'test/integration/agent-drill.test.ts', // 96
  'test/faults/restic-pack-deleted.test.ts', // 85
  'test/integration/point-on-demand.test.ts', // 84
  'test/integration/drill-app.test.ts', // 80
  'test/faults/archive-push-killed.test.ts', // 78
  // e2e, three at a time since December 2026 (seconds then):
  'test/e2e/demo.test.ts', // 245: the fresh-clone demo end to end
  'test/e2e/timeline-restore.test.ts', // 177
  'test/e2e/drills.test.ts', // 145
] as const;

function rank(spec: TestSpecification): number {
  const relative = path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/');
  const at = (LONGEST_FIRST as readonly string[]).indexOf(relative);
  return at === -1 ? LONGEST_FIRST.length : at;
}

/** Vitest's order, with the known-long files moved to the front of their group. */
class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const position = new Map(sorted.map((spec, i) => [spec, i]));
    return [...sorted].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        rank(a) - rank(b) ||
        (position.get(a) as number) - (position.get(b) as number),
    );
  }
}

// Four projects: unit tests are fast and need nothing; integration, fault and e2e tests start
// real PostgreSQL, sshd and S3 servers through test/harness and get generous hook timeouts;
// integration and fault files run together three at a time, then e2e files (a browser each)
// three at a time: one at a time, the e2e phase took 630 s of a CI run with the two cores two
// thirds idle (its files mostly wait on the app and the agent), three at a time 333 s.
export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ['test/harness/runtime-global-setup.ts'],
          // Integration and fault files share one group: most of a file's time is waiting (a
          // two-minute S3 outage, marker rows written every second, WAL archiving, restores
          // replaying WAL), so three files at a time fill the two cores, and one group has one
          // tail instead of two (a CI run spent ~3 minutes in each tail with one file left).
          // Every file starts its own servers on free ports, by PID. e2e runs after them.
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Projects in one group must share maxWorkers.
          maxWorkers: 3,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          globalSetup: ['test/harness/runtime-global-setup.ts'],
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          maxWorkers: 3,
          testTimeout: 300_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          // The fault suite (issue 20): one file per fault a backup system meets, each on a
          // protected server under write load. In the integration group (see there).
          name: 'faults',
          globalSetup: ['test/harness/runtime-global-setup.ts'],
          sequence: { groupOrder: 1 },
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          maxWorkers: 3,
          testTimeout: 300_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
