/** The median of the samples (mean of the middle two for even counts). */
export function median(samples: number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (0–100), nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Runs `fn` `runs` times after `warmup` unmeasured runs; returns the durations in ms. */
export async function timeRuns(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

/** Rounds for the results file: ratios to 3 decimals, times to 0.1 ms. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Times several operations in turns (a, b, a, b …) rather than one after the other, so a
 * change in machine load during the run hits them alike and their ratio stays fair.
 * Returns the durations in ms per name.
 */
export async function timeInTurns<K extends string>(
  operations: Record<K, () => Promise<unknown>>,
  runs: number,
): Promise<Record<K, number[]>> {
  const names = Object.keys(operations) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const start = process.hrtime.bigint();
      await operations[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return samples;
}

/**
 * Times operations in turns (a, b, c, a, b, c …) so machine load hits them alike. Each returns
 * its clean-up (stop, delete), which runs after its clock stopped.
 */
export async function timeInTurnsWithCleanUp<K extends string>(
  operations: Record<K, () => Promise<() => Promise<unknown>>>,
  runs: number,
): Promise<Record<K, number[]>> {
  const names = Object.keys(operations) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const start = process.hrtime.bigint();
      const cleanUp = await operations[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
      await cleanUp();
    }
  }
  return samples;
}
