/**
 * The steps of taking a recovery point, as the agent names them in a failure
 * (`<step>: <message>`, agent/runtime/errors.ts), and the id the console words each by.
 */
const POINT_STEPS = {
  'pgbackrest backup': 'backup',
  'pgbackrest info': 'backupInfo',
  'restic backup': 'files',
  'restic rebuild-index': 'filesIndex',
  'attached files check': 'filesCheck',
  'table checksums': 'checksums',
  'cluster facts': 'clusterFacts',
  'exact recovery point': 'exactPoint',
  'switch past the exact position': 'exactPoint',
  'upload manifest': 'manifestUpload',
  manifest: 'manifest',
  lock: 'lock',
} as const satisfies Record<string, string>;

export type PointStep = (typeof POINT_STEPS)[keyof typeof POINT_STEPS];

/**
 * A failed recovery point's message split into the step that failed (null when the message
 * names none the console knows) and the tool's own words after it.
 */
export function pointFailure(message: string): { step: PointStep | null; detail: string } {
  const colon = message.indexOf(': ');
  const name = colon > 0 ? message.slice(0, colon) : '';
  const step = Object.hasOwn(POINT_STEPS, name)
    ? POINT_STEPS[name as keyof typeof POINT_STEPS]
    : null;
  return step ? { step, detail: message.slice(colon + 2) } : { step: null, detail: message };
}
