import { z } from 'zod';
import { GdprEraseResult, GdprExportResult } from './gdpr';
import { Id } from './domain';

// GDPR requests of the DPO workspace (issue 17 §4): an access or erasure request for one data
// subject of one database, with the day it was received, its one-month deadline (Art. 12(3)),
// its status, a note, and its evidence once answered (the export zip, or the signed erasure
// confirmation).

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day, YYYY-MM-DD');

export const GDPR_REQUEST_KINDS = ['access', 'erasure'] as const;
export const GdprRequestKind = z.enum(GDPR_REQUEST_KINDS);
export type GdprRequestKind = z.infer<typeof GdprRequestKind>;

/** open → in-progress (an export or erasure started) → answered (access) / erased (erasure). */
export const GDPR_REQUEST_STATUSES = ['open', 'in-progress', 'answered', 'erased'] as const;
export const GdprRequestStatus = z.enum(GDPR_REQUEST_STATUSES);
export type GdprRequestStatus = z.infer<typeof GdprRequestStatus>;

/** The signed erasure confirmation: where it is, its manifest's hash and who signed it. */
export const GdprErasureConfirmation = z.object({
  erasureId: z.string(),
  directory: z.string(),
  sha256: z.string(),
  principal: z.string(),
});
export type GdprErasureConfirmation = z.infer<typeof GdprErasureConfirmation>;

export const GdprRequest = z.object({
  id: Id,
  serverId: Id,
  kind: GdprRequestKind,
  database: z.string(),
  /** The key value naming the subject in the saved map's root column. */
  subject: z.string(),
  receivedOn: Day,
  deadline: Day,
  status: GdprRequestStatus,
  note: z.string(),
  /** The export job started from this request (its result is the evidence once it succeeded). */
  exportJobId: Id.nullable(),
  export: GdprExportResult.nullable(),
  confirmation: GdprErasureConfirmation.nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type GdprRequest = z.infer<typeof GdprRequest>;

export const GdprRequestsListInput = z.object({ serverId: Id.optional() }).strict();
export type GdprRequestsListInput = z.infer<typeof GdprRequestsListInput>;
export const GdprRequestsList = z.object({ requests: z.array(GdprRequest) });
export type GdprRequestsList = z.infer<typeof GdprRequestsList>;

export const GdprRequestAddInput = z
  .object({
    serverId: Id,
    kind: GdprRequestKind,
    database: z.string().min(1).max(63),
    subject: z.string().min(1).max(1000),
    /** Default: today. */
    receivedOn: Day.optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type GdprRequestAddInput = z.infer<typeof GdprRequestAddInput>;

export const GdprRequestIdInput = z.object({ id: Id }).strict();
export type GdprRequestIdInput = z.infer<typeof GdprRequestIdInput>;

export const GdprRequestUpdateInput = z
  .object({
    id: Id,
    receivedOn: Day.optional(),
    note: z.string().max(2000).optional(),
    status: GdprRequestStatus.optional(),
  })
  .strict();
export type GdprRequestUpdateInput = z.infer<typeof GdprRequestUpdateInput>;

export const GdprRequestExportInput = z
  .object({ id: Id, outputDirectory: z.string().min(1).max(4096).optional() })
  .strict();
export type GdprRequestExportInput = z.infer<typeof GdprRequestExportInput>;

export const GdprRequestEraseInput = z.object({ id: Id, dryRun: z.boolean() }).strict();
export type GdprRequestEraseInput = z.infer<typeof GdprRequestEraseInput>;

export const GdprRequestEraseResult = z.object({
  request: GdprRequest,
  erasure: GdprEraseResult,
});
export type GdprRequestEraseResult = z.infer<typeof GdprRequestEraseResult>;

/** Which evidence of a request to download: the export zip or the erasure confirmation zip. */
export const GdprRequestEvidenceInput = z
  .object({ id: Id, what: z.enum(['export', 'confirmation']) })
  .strict();
export type GdprRequestEvidenceInput = z.infer<typeof GdprRequestEvidenceInput>;
