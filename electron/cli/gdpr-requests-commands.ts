import type { GdprRequest, GdprRequestsList } from '../../shared/contract/gdpr-requests';
import { daysLeft, localDay } from '../../shared/gdpr/request-deadline';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult, usageError } from './output';

export const GDPR_REQUESTS_USAGE = `usage: kumiko gdpr requests list|add|show [options] [--json]
  list [--server ID]   the requests by deadline: days left, overdue, status
  add  --server ID --database DB --kind access|erasure --subject VALUE
       [--received YYYY-MM-DD (default today)] [--note TEXT]
       records a request; its deadline is one month after the day received (Art. 12(3))
  show ID              one request with its evidence (export zip, signed erasure confirmation)`;

/** "12 days left", "due today", "3 days overdue", or the status once done. */
function due(request: GdprRequest, today: string): string {
  if (request.status === 'answered' || request.status === 'erased') return request.status;
  const left = daysLeft(request.deadline, today);
  if (left < 0) return `${-left} days OVERDUE, ${request.status}`;
  return `${left === 0 ? 'due today' : `${left} days left`}, ${request.status}`;
}

function listText({ requests }: GdprRequestsList): string {
  if (requests.length === 0) return 'No GDPR requests recorded.\n';
  const today = localDay();
  return `${requests
    .map(
      (r) =>
        `${r.id}  ${r.kind} ${r.database} "${r.subject}": received ${r.receivedOn}, ` +
        `deadline ${r.deadline} (${due(r, today)})`,
    )
    .join('\n')}\n`;
}

function showText(r: GdprRequest): string {
  const lines = [
    `GDPR ${r.kind} request ${r.id}`,
    `  server ${r.serverId}, database ${r.database}, subject "${r.subject}"`,
    `  received ${r.receivedOn}, deadline ${r.deadline} (${due(r, localDay())})`,
    `  recorded ${r.createdAt} by ${r.createdBy}`,
  ];
  if (r.note) lines.push(`  note: ${r.note}`);
  if (r.export) lines.push(`  evidence: export ${r.export.path} (SHA-256 ${r.export.sha256})`);
  if (r.confirmation)
    lines.push(
      `  evidence: erasure confirmation ${r.confirmation.directory} (ledger entry ${r.confirmation.erasureId}),`,
      `    verify: ssh-keygen -Y verify -f signer.pub -I ${r.confirmation.principal} -n kumiko-report -s MANIFEST.sha256.sig < MANIFEST.sha256`,
    );
  return `${lines.join('\n')}\n`;
}

/** `kumiko gdpr requests list|add|show`. */
export async function gdprRequestsCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const [, , verb, id] = args.positionals;
  if (verb === 'list') {
    const serverId = flagString(args, 'server');
    const result = await core.dispatch('gdpr.requests.list', serverId ? { serverId } : {});
    if (json || !result.ok) return printResult(result, json);
    process.stdout.write(listText(result.value as GdprRequestsList));
    return EXIT.ok;
  }
  if (verb === 'show') {
    if (!id)
      throw usageError('Name the request: kumiko gdpr requests show ID.', GDPR_REQUESTS_USAGE);
    const result = await core.dispatch('gdpr.requests.show', { id });
    if (json || !result.ok) return printResult(result, json);
    process.stdout.write(showText(result.value as GdprRequest));
    return EXIT.ok;
  }
  if (verb === 'add') {
    const [serverId, database, kind, subject] = ['server', 'database', 'kind', 'subject'].map(
      (name) => flagString(args, name),
    );
    if (!serverId || !database || !kind || !subject)
      throw usageError('Name --server, --database, --kind and --subject.', GDPR_REQUESTS_USAGE);
    const received = flagString(args, 'received');
    const note = flagString(args, 'note');
    const result = await core.dispatch('gdpr.requests.add', {
      serverId,
      database,
      kind,
      subject,
      ...(received ? { receivedOn: received } : {}),
      ...(note ? { note } : {}),
    });
    if (json || !result.ok) return printResult(result, json);
    process.stdout.write(showText(result.value as GdprRequest));
    return EXIT.ok;
  }
  throw usageError('Name what to do: list, add or show.', GDPR_REQUESTS_USAGE);
}
