/** A benchmark suite: starts what it needs, measures, and returns flat named numbers. */
export interface BenchSuite {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<Record<string, number>>;
}

/**
 * Suites by name. Later capabilities add theirs (capture, pitr, rollback, gdpr, drill,
 * rebuild); each compares our operation with the physical limit and the anchor tool
 * measured in the same run on the same machine.
 */
export const suites: Record<string, () => Promise<BenchSuite>> = {
  ssh: async () => (await import('./ssh.bench')).sshSuite,
  capture: async () => (await import('./capture.bench')).captureSuite,
  pitr: async () => (await import('./pitr.bench')).pitrSuite,
  catalog: async () => (await import('./catalog.bench')).catalogSuite,
  timeline: async () => (await import('./timeline.bench')).timelineSuite,
  drill: async () => (await import('./drill.bench')).drillSuite,
  gdpr: async () => (await import('./gdpr.bench')).gdprSuite,
  rollback: async () => (await import('./rollback.bench')).rollbackSuite,
  rebuild: async () => (await import('./rebuild.bench')).rebuildSuite,
};
