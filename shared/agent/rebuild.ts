import { z } from 'zod';
import { ScratchId } from './scratch-id';

// `kumiko-agent rebuild-place` (issue 19): a restore verified in a scratch environment becomes
// the host's real cluster. The app restored and verified it with `kumiko-agent restore` first;
// this moves its data directory (and the attached files) to where they live for good, makes it
// a normal cluster (its own port, socket and pg_hba.conf, no scratch settings) and starts it.

/** An absolute path without `..` or NUL: folder names the agent creates and moves into. */
const PlainPath = z
  .string()
  .max(4096)
  .regex(/^\/[^\0\n]*$/, 'an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'no ".." in the path');

/** Where and how the verified cluster becomes the host's own. */
export const AgentPlaceTarget = z
  .object({
    /** Where the data directory goes (must not exist yet, or hold this restore already). */
    dataDirectory: PlainPath,
    port: z.number().int().min(1).max(65535),
    /** The cluster's socket folder (created for the cluster's OS user when missing). */
    socketDirectory: PlainPath,
    /** listen_addresses of the new cluster; the admin opens it wider for the application. */
    listenAddresses: z
      .string()
      .regex(/^[A-Za-z0-9.:,* -]{1,200}$/)
      .default('localhost'),
    /**
     * Attached files: each original path of the recovery point's snapshot comes back under
     * `root` (`/` puts them at their original paths).
     */
    files: z
      .object({ root: PlainPath, paths: z.array(PlainPath).max(100) })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type AgentPlaceTarget = z.input<typeof AgentPlaceTarget>;

export const AgentPlaceSpec = AgentPlaceTarget.extend({
  /** The scratch environment `restore` made and verified. */
  id: ScratchId,
}).strict();
export type AgentPlaceSpec = z.input<typeof AgentPlaceSpec>;

/** What `rebuild-place` prints (JSON) once the cluster runs where it belongs. */
export const AgentPlaceResult = z
  .object({
    dataDirectory: z.string(),
    port: z.number().int(),
    socketDirectory: z.string(),
    /** How the cluster was started: a systemd unit, or pg_ctl where no systemd runs. */
    service: z.enum(['systemd', 'pg_ctl']),
    /** The attached-file folders put in place. */
    files: z.array(z.string()),
    /** True when an earlier run had already moved the data directory (a resumed rebuild). */
    resumed: z.boolean(),
  })
  .strict();
export type AgentPlaceResult = z.infer<typeof AgentPlaceResult>;
