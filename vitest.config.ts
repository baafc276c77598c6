import { defineConfig } from 'vitest/config';

// Four projects: unit tests are fast and need nothing; integration, fault and e2e tests start
// real PostgreSQL, sshd and S3 servers through test/harness and get generous hook timeouts;
// integration and fault files run together three at a time, then e2e files (a browser each)
// one at a time.
export default defineConfig({
  test: {
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
          fileParallelism: false,
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
