import crypto from 'node:crypto';
import {
  GdprErasureConfirmation,
  GdprRequest,
  type GdprRequestKind,
  type GdprRequestStatus,
} from '../../../shared/contract/gdpr-requests';
import { GdprExportResult } from '../../../shared/contract/gdpr';
import { requestDeadline } from '../../../shared/gdpr/request-deadline';
import type { Db } from '../store/database';

interface Row {
  id: string;
  server_id: string;
  kind: string;
  database_name: string;
  subject: string;
  received_on: string;
  deadline: string;
  status: string;
  note: string;
  export_job_id: string | null;
  export_json: string | null;
  confirmation_json: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

const fromRow = (row: Row): GdprRequest =>
  GdprRequest.parse({
    id: row.id,
    serverId: row.server_id,
    kind: row.kind,
    database: row.database_name,
    subject: row.subject,
    receivedOn: row.received_on,
    deadline: row.deadline,
    status: row.status,
    note: row.note,
    exportJobId: row.export_job_id,
    export: row.export_json ? GdprExportResult.parse(JSON.parse(row.export_json)) : null,
    confirmation: row.confirmation_json
      ? GdprErasureConfirmation.parse(JSON.parse(row.confirmation_json))
      : null,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
  });

/** GDPR requests in the app's store; the deadline always follows from the day received. */
export class GdprRequestsRepo {
  constructor(private readonly db: Db) {}

  list(serverId?: string): GdprRequest[] {
    const rows = (
      serverId
        ? this.db
            .prepare(
              'SELECT * FROM gdpr_requests WHERE server_id = ? ORDER BY deadline, created_at',
            )
            .all(serverId)
        : this.db.prepare('SELECT * FROM gdpr_requests ORDER BY deadline, created_at').all()
    ) as Row[];
    return rows.map(fromRow);
  }

  get(id: string): GdprRequest | null {
    const row = this.db.prepare('SELECT * FROM gdpr_requests WHERE id = ?').get(id) as
      Row | undefined;
    return row ? fromRow(row) : null;
  }

  add(input: {
    serverId: string;
    kind: GdprRequestKind;
    database: string;
    subject: string;
    receivedOn: string;
    note: string;
    createdBy: string;
  }): GdprRequest {
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO gdpr_requests (id, server_id, kind, database_name, subject, received_on,
           deadline, status, note, created_at, created_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.serverId,
        input.kind,
        input.database,
        input.subject,
        input.receivedOn,
        requestDeadline(input.receivedOn),
        input.note,
        now,
        input.createdBy,
        now,
      );
    return this.get(id)!;
  }

  update(
    id: string,
    change: {
      receivedOn?: string;
      note?: string;
      status?: GdprRequestStatus;
      exportJobId?: string;
      export?: GdprExportResult;
      confirmation?: GdprErasureConfirmation;
    },
  ): GdprRequest {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (change.receivedOn !== undefined) {
      set('received_on', change.receivedOn);
      set('deadline', requestDeadline(change.receivedOn));
    }
    if (change.note !== undefined) set('note', change.note);
    if (change.status !== undefined) set('status', change.status);
    if (change.exportJobId !== undefined) set('export_job_id', change.exportJobId);
    if (change.export !== undefined) set('export_json', JSON.stringify(change.export));
    if (change.confirmation !== undefined)
      set('confirmation_json', JSON.stringify(change.confirmation));
    set('updated_at', new Date().toISOString());
    this.db.prepare(`UPDATE gdpr_requests SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.get(id)!;
  }
}
