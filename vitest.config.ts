import { defineConfig } from 'vitest/config';

// Four projects: unit tests are fast and need nothing; integration, e2e and fault tests start
// real PostgreSQL, sshd and S3 servers through test/harness and get generous hook timeouts;
// integration and fault files run two at a time, e2e files (a browser each) one at a time.
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
          // Projects run one after another: integration and e2e tests both start real
          // servers, and side by side on two cores their timing would be luck.
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Two files at a time: most of an integration file's time is waiting (a two-minute
          // S3 outage, marker rows written every second, WAL archiving), so two share the two
          // cores well. Every file starts its own servers on free ports, by PID.
          maxWorkers: 2,
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
          // protected server under write load. Last, after e2e, for the same reason as above.
          name: 'faults',
          globalSetup: ['test/harness/runtime-global-setup.ts'],
          sequence: { groupOrder: 3 },
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          // Three at a time on two cores: a fault file mostly waits (an S3 outage held 90 s,
          // archive retries, a restore replaying WAL). Two at a time the suite took 6.4 of a
          // 31-minute CI run; each file starts its own servers on free ports.
          maxWorkers: 3,
          testTimeout: 300_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
