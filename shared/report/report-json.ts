import { z } from 'zod';
import { canonicalJson } from '../agent/manifest';
import { isEvidenceName } from './bundle-layout';
import { DrillResult, SafeId } from './drill-result';

/** Format tag of report.json; bump on an incompatible change. */
export const REPORT_FORMAT = 'kumiko-drill-report/1';

/** Languages of report.pdf: German, English, or both side by side (the default). */
export const ReportLanguage = z.enum(['de', 'en', 'de+en']);
export type ReportLanguage = z.infer<typeof ReportLanguage>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 hex digest');

/** Who signs MANIFEST.sha256.sig; recorded inside the signed report so the two can be compared. */
export const ReportSigner = z
  .object({
    kind: z.enum(['agent', 'app']),
    /** allowed_signers principal, e.g. `kumiko-agent@<serverId>`. */
    principal: z.string().regex(/^[^\s",*?!]+$/, 'one word, no quotes or patterns'),
    /** OpenSSH public key line (`ssh-ed25519 AAAA…`). */
    publicKey: z.string().startsWith('ssh-ed25519 '),
  })
  .strict();
export type ReportSigner = z.infer<typeof ReportSigner>;

/** report.json: the machine-readable report, listed in (and so signed by) MANIFEST.sha256. */
export const ReportJson = z
  .object({
    format: z.literal(REPORT_FORMAT),
    drill: DrillResult,
    chain: z
      .object({
        sequence: z.number().int().min(1),
        previous: z.object({ drillId: SafeId, manifestSha256: Sha256Hex }).strict().nullable(),
      })
      .strict(),
    signer: ReportSigner,
    /** Every evidence file with its size (hashes are in MANIFEST.sha256). */
    evidence: z.array(
      z
        .object({
          name: z.string().refine(isEvidenceName),
          bytes: z.number().int().nonnegative(),
        })
        .strict(),
    ),
    language: ReportLanguage,
  })
  .strict()
  .superRefine((report, ctx) => {
    if (report.signer.kind !== report.drill.signer) {
      ctx.addIssue({
        code: 'custom',
        message: 'signer.kind differs from drill.signer',
        path: ['signer'],
      });
    }
    if ((report.chain.previous === null) !== (report.chain.sequence === 1)) {
      ctx.addIssue({
        code: 'custom',
        message: 'only the first report (sequence 1) has no previous report',
        path: ['chain'],
      });
    }
    const names = new Set(report.evidence.map((e) => e.name));
    report.drill.checks.forEach((check, i) => {
      for (const name of check.evidence) {
        if (!names.has(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `check ${check.id} names evidence ${name}, which the bundle does not have`,
            path: ['drill', 'checks', i, 'evidence'],
          });
        }
      }
    });
  });
export type ReportJson = z.infer<typeof ReportJson>;

/**
 * The exact bytes of report.json: validated, then canonical JSON (sorted keys), so the same
 * report always hashes the same. @throws ZodError when the report is invalid.
 */
export function reportJsonText(report: ReportJson): string {
  return canonicalJson(ReportJson.parse(report));
}
