import fs from 'node:fs/promises';
import path from 'node:path';
import type { TransferFile } from '../../../shared/contract';
import type {
  GdprRequest,
  GdprRequestAddInput,
  GdprRequestEraseInput,
  GdprRequestEraseResult,
  GdprRequestEvidenceInput,
  GdprRequestExportInput,
  GdprRequestUpdateInput,
  GdprRequestsList,
  GdprRequestsListInput,
} from '../../../shared/contract/gdpr-requests';
import { localDay } from '../../../shared/gdpr/request-deadline';
import { AppError } from '../app-error';
import { appOsUser } from '../os-user';
import { transferFile } from '../reports/report-transfer';
import { zipArchive } from '../reports/zip-writer';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import type { Db } from '../store/database';
import { CONFIRMATION_FILES, writeErasureConfirmation } from './erasure-confirmation';
import type { GdprService } from './gdpr-service';
import { GdprRequestsRepo } from './requests-repo';

export interface GdprRequestsServiceDeps {
  db: Db;
  dataDir: string;
  gdpr: GdprService;
  servers: ServersService;
  secrets: SecretStore;
}

/** Evidence handed to the page in one piece; larger exports are copied from their folder. */
const MAX_EVIDENCE_BYTES = 256 * 1024 * 1024;

/**
 * The DPO's requests (issue 17 §4): recorded with the day received and the deadline, worked on
 * by starting the export or the erasure from them, and answered with their evidence (the signed
 * export zip, or a signed erasure confirmation).
 */
export class GdprRequestsService {
  private readonly repo: GdprRequestsRepo;

  constructor(private readonly deps: GdprRequestsServiceDeps) {
    this.repo = new GdprRequestsRepo(deps.db);
  }

  list(input: GdprRequestsListInput): GdprRequestsList {
    return { requests: this.repo.list(input.serverId) };
  }

  show(id: string): GdprRequest {
    const request = this.repo.get(id);
    if (!request)
      throw new AppError(
        'NOT_FOUND',
        `There is no GDPR request ${id}: list them with kumiko gdpr requests list.`,
      );
    return request;
  }

  add(input: GdprRequestAddInput): GdprRequest {
    this.deps.servers.get(input.serverId);
    return this.repo.add({
      serverId: input.serverId,
      kind: input.kind,
      database: input.database,
      subject: input.subject,
      receivedOn: input.receivedOn ?? localDay(),
      note: input.note ?? '',
      createdBy: appOsUser(),
    });
  }

  update(input: GdprRequestUpdateInput): GdprRequest {
    this.show(input.id);
    const { id, ...change } = input;
    return this.repo.update(id, change);
  }

  /** Starts the access export of an access request; its result becomes the request's evidence. */
  startExport(input: GdprRequestExportInput): { jobId: string } {
    const request = this.show(input.id);
    if (request.kind !== 'access')
      throw new AppError(
        'INVALID_INPUT',
        'This is an erasure request: erase the subject instead of exporting.',
      );
    const before = request.status;
    const job = this.deps.gdpr.startExport(
      {
        serverId: request.serverId,
        database: request.database,
        subject: request.subject,
        ...(input.outputDirectory ? { outputDirectory: input.outputDirectory } : {}),
      },
      (result) => {
        if (result) this.repo.update(request.id, { export: result, status: 'answered' });
        else if (this.repo.get(request.id)?.status === 'in-progress')
          this.repo.update(request.id, { status: before === 'answered' ? 'answered' : 'open' });
      },
    );
    this.repo.update(request.id, { exportJobId: job.id, status: 'in-progress' });
    return { jobId: job.id };
  }

  /** The erasure (or dry run) of an erasure request; an erasure that ran is confirmed, signed. */
  async erase(input: GdprRequestEraseInput): Promise<GdprRequestEraseResult> {
    const request = this.show(input.id);
    if (request.kind !== 'erasure')
      throw new AppError(
        'INVALID_INPUT',
        'This is an access request: export the subject instead of erasing.',
      );
    if (request.status === 'erased')
      throw new AppError('CONFLICT', 'This request is erased already: download its confirmation.');
    const subject = {
      serverId: request.serverId,
      database: request.database,
      subject: request.subject,
    };
    if (input.dryRun) {
      return { request, erasure: await this.deps.gdpr.erase({ ...subject, dryRun: true }) };
    }
    this.repo.update(request.id, { status: 'in-progress' });
    let erasure;
    try {
      erasure = await this.deps.gdpr.erase({ ...subject, dryRun: false });
    } catch (err) {
      this.repo.update(request.id, { status: request.status });
      throw err;
    }
    const confirmation = await writeErasureConfirmation(this.deps.dataDir, this.deps.secrets, {
      requestId: request.id,
      serverName: this.deps.servers.get(request.serverId).name,
      database: request.database,
      erasedBy: appOsUser(),
      receivedOn: request.receivedOn,
      erasure,
    });
    return { request: this.repo.update(request.id, { confirmation, status: 'erased' }), erasure };
  }

  /** A request's evidence as a file to save (no path crosses to the page). */
  async evidence(input: GdprRequestEvidenceInput): Promise<TransferFile> {
    const request = this.show(input.id);
    if (input.what === 'export') {
      if (!request.export)
        throw new AppError('NOT_FOUND', 'This request has no export yet: run the export first.');
      const stat = await fs.stat(request.export.path).catch(() => null);
      if (!stat)
        throw new AppError(
          'NOT_FOUND',
          `The export zip is no longer at ${request.export.path}: export again.`,
        );
      if (stat.size > MAX_EVIDENCE_BYTES)
        throw new AppError(
          'INVALID_INPUT',
          `The export is too large to hand over here: copy it from ${request.export.path}.`,
        );
      return transferFile(
        path.basename(request.export.path),
        await fs.readFile(request.export.path),
      );
    }
    if (!request.confirmation)
      throw new AppError(
        'NOT_FOUND',
        'This request has no erasure confirmation yet: run the erasure first.',
      );
    const folder = `gdpr-erasure-${request.id}`;
    const entries = await Promise.all(
      CONFIRMATION_FILES.map(async (name) => ({
        name: `${folder}/${name}`,
        data: await fs.readFile(path.join(request.confirmation!.directory, name)),
      })),
    );
    return transferFile(`${folder}.zip`, zipArchive(entries, new Date()));
  }
}
