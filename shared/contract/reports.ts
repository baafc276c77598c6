import { z } from 'zod';
import { Id } from './domain';

// The drill report archive and evidence export (issue 5): list archived report bundles, export
// a period as one zip for auditors, verify a bundle, a folder of bundles or an export zip.

const Iso = z.string().datetime({ offset: true });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** A day (`2025-01-31`, whole day in UTC) or an exact moment (ISO 8601 with offset). */
export const DayOrMoment = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD'),
  Iso,
]);

/** One archived report bundle. */
export const DrillReportEntry = z.object({
  serverId: z.string(),
  serverName: z.string(),
  drillId: z.string(),
  sequence: z.number().int(),
  startedAt: Iso,
  finishedAt: Iso,
  passed: z.boolean(),
  rtoSeconds: z.number().nullable(),
  rpoSeconds: z.number(),
  signer: z.enum(['agent', 'app']),
  countersigned: z.boolean(),
  manifestSha256: Sha256Hex,
  previousManifestSha256: Sha256Hex.nullable(),
  /** The bundle folder in the app's archive. */
  bundlePath: z.string(),
  archivedAt: Iso,
});
export type DrillReportEntry = z.infer<typeof DrillReportEntry>;

export const ReportsListInput = z
  .object({ serverId: Id.optional(), from: DayOrMoment.optional(), to: DayOrMoment.optional() })
  .strict();

export const ReportsExportInput = z
  .object({
    serverId: Id,
    from: DayOrMoment,
    to: DayOrMoment,
    /** The zip to write; default a dated file in the app's exports folder. */
    outputPath: z.string().min(1).optional(),
    /**
     * Also write each report's PDF in this language alone, as reading copies beside the zip
     * (`<zip name>-<language>/<drillId>.pdf`): the zip's bundles stay exactly as signed.
     */
    language: z.enum(['de', 'en']).optional(),
  })
  .strict();

export const ReportsExportResult = z.object({
  path: z.string(),
  sha256: Sha256Hex,
  reports: z.number().int(),
  from: Iso,
  to: Iso,
  /** The reading copies written beside the zip (with `language`). */
  readingCopies: z.array(z.string()).optional(),
});
export type ReportsExportResult = z.infer<typeof ReportsExportResult>;

export const ReportsVerifyInput = z
  .object({
    /** A bundle folder, a folder of bundles, or a zip of either. */
    path: z.string().min(1),
    /**
     * Keys to trust: public key lines or allowed_signers text, expected for bundles of servers
     * the app has no pinned key for. The agent key pinned at install (and the app's own key)
     * always decide for the servers the app knows. A bundle's own allowed_signers is never
     * trusted: a signer no trusted key matches gives status 'untrusted-signer'.
     */
    keys: z.string().max(64_000).optional(),
    /** Each server's chain must start at its first report. */
    requireFirstReport: z.boolean().optional(),
  })
  .strict();

const BundleProblem = z.object({
  code: z.string(),
  file: z.string().optional(),
  message: z.string(),
});

const SignatureCheck = z.object({
  file: z.string(),
  role: z.enum(['primary', 'countersignature']),
  valid: z.boolean(),
  principal: z.string().nullable(),
  fingerprint: z.string().nullable(),
  trust: z.enum(['pinned', 'bundle', 'none']),
});

const ChainLink = z.object({ drillId: z.string(), manifestSha256: z.string() });

export const BundleVerification = z.object({
  location: z.string(),
  ok: z.boolean(),
  drillId: z.string().nullable(),
  serverId: z.string().nullable(),
  serverName: z.string().nullable(),
  sequence: z.number().nullable(),
  passed: z.boolean().nullable(),
  startedAt: z.string().nullable(),
  rtoSeconds: z.number().nullable(),
  rpoSeconds: z.number().nullable(),
  manifestSha256: z.string().nullable(),
  previous: ChainLink.nullable(),
  listedFiles: z.number(),
  signatures: z.array(SignatureCheck),
  /** The primary signature is valid and by a key the verifier trusts. */
  signerTrusted: z.boolean(),
  problems: z.array(BundleProblem),
  warnings: z.array(z.string()),
});

/** The answer of `reports.verify` and `kumiko report verify --json`. */
export const ReportVerification = z.object({
  path: z.string(),
  ok: z.boolean(),
  /**
   * 'valid'; 'untrusted-signer' = signatures and hashes are right but no trusted key matches
   * the signer (nothing proves who wrote it: a failure, with its own CLI exit code); 'invalid'.
   */
  status: z.enum(['valid', 'untrusted-signer', 'invalid']),
  trust: z.enum(['pinned', 'bundle']),
  bundles: z.array(BundleVerification),
  chains: z.array(
    z.object({
      serverId: z.string(),
      drillIds: z.array(z.string()),
      ok: z.boolean(),
      problems: z.array(z.object({ code: z.string(), drillId: z.string(), message: z.string() })),
      startsAtFirstReport: z.boolean(),
      anchor: ChainLink.nullable(),
    }),
  ),
  problems: z.array(BundleProblem),
});
export type ReportVerification = z.infer<typeof ReportVerification>;

/**
 * A file handed between main and the renderer as base64: neither transport gives the page file
 * paths (browser mode has none), so downloads and an auditor's picked file travel as bytes.
 */
export const TransferFile = z.object({
  fileName: z.string(),
  base64: z.string(),
  bytes: z.number().int(),
  sha256: Sha256Hex,
});
export type TransferFile = z.infer<typeof TransferFile>;

/**
 * One archived report to save: 'zip' = the bundle as `kumiko report export` writes it (summary
 * and the bundle folder, verifiable with `kumiko report verify` or ssh-keygen), 'json' = its
 * signed report.json alone. The PDF is `reports.pdf`.
 */
export const ReportsFileInput = z
  .object({
    serverId: Id,
    drillId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
    format: z.enum(['zip', 'json']),
  })
  .strict();

/** The largest bundle zip the console accepts to verify (base64 characters): 12 MB of zip. */
export const MAX_UPLOAD_BASE64 = 16 * 1024 * 1024;

/**
 * A report zip the auditor picked in the console, verified like `kumiko report verify` against
 * the pinned keys (and `keys`, never the bundle's own allowed_signers).
 */
export const ReportsVerifyFileInput = z
  .object({
    /** Only for people: the answer's `path` is this name, never a path on the app's disk. */
    fileName: z.string().min(1).max(255),
    base64: z
      .string()
      .min(4)
      .max(MAX_UPLOAD_BASE64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
    keys: z.string().max(64_000).optional(),
  })
  .strict();
