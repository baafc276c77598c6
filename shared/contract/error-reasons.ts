import { z } from 'zod';
import type { ErrorCode } from './errors';

/**
 * Reasons main can give beside an error code, when the code alone says too little for people
 * (which host, a timeout rather than a refusal). The renderer words an error as the catalog
 * message `error.<CODE>` (a sentence with a next step) and, with a reason, `error.<CODE>.<reason>`
 * filled with its params; main's English message is only the technical detail. To add one:
 * list it here, throw `new AppError(code, message, details, { key, params })`, and give it a
 * German and an English text (docs/i18n.md; test/unit/i18n-errors.test.ts checks all three).
 */
export const errorReasons = {
  SSH_AUTH_FAILED: ['keyRefused'],
  SSH_UNREACHABLE: ['noAnswer', 'cannotConnect', 'connectionLost'],
  SSH_COMMAND_FAILED: ['cannotRun'],
  HOST_KEY_CHANGED: ['changed'],
  /** Why a recovery kit does not match the bucket (electron/services/rebuild/bucket-kit-checks.ts). */
  KIT_REFUSED: [
    'mixedKits',
    'noRepository',
    'cipherPass',
    'resticPassword',
    'noAgentKey',
    'agentKeyDiffers',
    'manifestsUnverified',
  ],
  /** Why a restore target is refused (shared/catalog/refusals.ts, resolve.ts). */
  RESTORE_NOT_COVERED: [
    'invalidTime',
    'nothingYet',
    'notOnTimeline',
    'beforeFirst',
    'inGap',
    'inGapNoLater',
    'notCaptured',
    'expired',
    'noSuchPoint',
    'pointNotRestorable',
  ],
} as const satisfies Partial<Record<ErrorCode, readonly string[]>>;

/** The reasons declared for `C` (none for a code not listed above). */
export type ErrorReasonKey<C extends ErrorCode> = C extends keyof typeof errorReasons
  ? (typeof errorReasons)[C][number]
  : never;

/** Values a reason's message is filled with: names, hosts, counts. Never secrets. */
export const ErrorReasonParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type ErrorReasonParams = z.infer<typeof ErrorReasonParams>;

export const ErrorReason = z.object({
  key: z.string().max(64),
  params: ErrorReasonParams.optional(),
});
export type ErrorReason = z.infer<typeof ErrorReason>;
