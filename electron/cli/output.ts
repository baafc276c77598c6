import type { Result } from '../../shared/contract';

/**
 * Exit codes scripts can rely on. untrustedSigner: `report verify` found valid signatures by a
 * key nobody trusts (no pinned key, no --key matches it).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, hostKey: 3, untrustedSigner: 4 } as const;

export function exitCodeFor(result: Result<unknown>): number {
  if (result.ok) return EXIT.ok;
  switch (result.error.code) {
    case 'INVALID_INPUT':
    case 'UNKNOWN_COMMAND':
      return EXIT.usage;
    case 'HOST_KEY_CHANGED':
    case 'HOST_KEY_MISMATCH':
      return EXIT.hostKey;
    default:
      return EXIT.failed;
  }
}

/** Prints a Result: JSON on stdout with --json, else the value as JSON and errors readably. */
export function printResult(result: Result<unknown>, json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (result.ok) {
    process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
  } else {
    process.stderr.write(`error ${result.error.code}: ${result.error.message}\n`);
    if (result.error.details !== undefined) {
      process.stderr.write(`${JSON.stringify(result.error.details, null, 2)}\n`);
    }
  }
  return exitCodeFor(result);
}
