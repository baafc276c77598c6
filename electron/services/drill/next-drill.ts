/**
 * The next scheduled drill from an agent heartbeat (`kumiko-agent status` or the bucket's
 * heartbeat.json). Read loosely: agents from before issue 5 report no drill schedule at all,
 * and a heartbeat that says nothing means "unknown", never an error.
 */
export function nextDrillFromHeartbeat(heartbeat: unknown): string | null {
  const scheduler = field(heartbeat, 'scheduler');
  for (const source of [scheduler, field(heartbeat, 'drill')]) {
    const value = field(source, 'nextDrillAt') ?? field(source, 'nextAt');
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
      return new Date(value).toISOString();
    }
  }
  return null;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)[name]
    : undefined;
}
