import { commandNames } from '../../shared/contract';
import { flagString, parseArgs, type ParsedArgs } from './args';
import { defaultDataDir, openCore } from './context';
import { EXIT, EXIT_CODE_LINES, printError, printResult, usageError } from './output';
import { serve, untilInterrupted } from './serve';
import { agentCommand, statusCommand } from './agent-commands';
import { INSTALL_FLAGS_HELP } from './install-flags';
import { catalogCommand } from './catalog-commands';
import { drillCommand } from './drill-commands';
import { gdprCommand } from './gdpr-commands';
import { kitCommand } from './kit-commands';
import { logCommand } from './log-commands';
import { rebuildCommand } from './rebuild-commands';
import { pointCommand } from './point-commands';
import { reportCommand, reportVerifyCommand } from './report-commands';
import { restoreCommand, scratchCommand } from './restore-commands';
import { auditCommand, rollbackCommand } from './rollback-commands';
import { serversCommand } from './servers-commands';
import { storageCommand } from './storage-commands';

const USAGE = `kumiko — Kumiko Recovery command line

  kumiko demo [--dir .kumiko-demo] [--port N]   start the embedded demo and its console
  kumiko serve [--port N]                        console in a browser (127.0.0.1, token URL)
  kumiko servers list|add|trust|connect|remove   manage servers (add: --host --port --user --key-file)
  kumiko storage check|save|show                 EU bucket: --endpoint --bucket --region --access-key-id
                                                 --secret-access-key-file F --own-storage --ca-file F --server ID
                                                 (own storage: an endpoint you operate, off the EU allowlist,
                                                 whose location you vouch for; never a public cloud)
  kumiko agent plan|install --server ID --cluster DATADIR [flags below]   what install changes | install
  kumiko agent uninstall|kit --server ID
  kumiko agent update --server ID [--review]     replace the agent program with this app's; settings kept
${INSTALL_FLAGS_HELP}
  kumiko kit export|acknowledge|status --server ID [--out DIR] [--file KIT.pdf] [--yes]
                                                 the recovery kit PDF; the server counts as protected
                                                 only once the kit is acknowledged (stored off the server)
  kumiko kit import --file KIT.txt|- [--own-storage]  a fresh console from the recovery kit alone:
                                                 checked against the bucket, catalog rebuilt from it
  kumiko rebuild --server ID --host ID (--latest | --point LABEL | --time …) [--data-dir D] [--port N]
                 [--plan] [--yes]                 a server that is gone, rebuilt on a new host from
                                                 the bucket: pre-flight, restore, start, capture again
  kumiko status [--server ID] [--json]          health tiles (capture lag, recovery points …), worst first
  kumiko catalog --server ID [--refresh] [--json] restorable ranges, gaps, backups and lag, from the bucket
  kumiko restore --server ID (--time "YYYY-MM-DD HH:MM:SS" [--tz ZONE] | --point LABEL | --latest)
                 [--host ID] [--keep-hours N] [--yes]  point-in-time restore into a scratch database
  kumiko restore --server ID (--time … | --point LABEL | --latest) --over-production [--confirm DBNAME] [--yes]
                                                 restore OVER production: safety snapshot first, then
                                                 stop, restore, verify, start (type the database name)
  kumiko scratch list|drop ID                    scratch databases left by restores
  kumiko point create --server ID [--label TEXT] [--wait] [--json]
                                                 a recovery point now, taken by the agent; --label
                                                 stores a note with it; --wait follows it into the
                                                 catalog (AGENT_BUSY: a snapshot or drill is running)
  kumiko point heal --server ID [--label TEXT] [--wait] [--json]
                                                 after POINT_FILES_MISSING: rebuild restic's index
                                                 (lost attached-file data is uploaded again), then
                                                 a new recovery point
  kumiko drill run --server ID [--json]          restore drill on the server's agent: progress, signed report
                                                 (exit 0 passed, 1 failed; the report is archived either way)
  kumiko drill list|sync --server ID             drill history and schedule | archive the agent's own reports
  kumiko drill settings --server ID [--every 91d|12h|30m|off] [--smoke-checks-file F.json]
                        [--deep-index-check on|off]   the Drills page's settings, into the agent's config
  kumiko report verify <bundle|folder|zip> [--key F] [--json]   check signatures, hashes and chain
                                                 against the keys pinned in the app's data folder
                                                 (if any) and --key, never the bundle's own (exit 0
                                                 valid, 1 invalid, 4 signer not trusted)
  kumiko report export --server ID --from DATE --to DATE [--out FILE]   drill reports as one zip
  kumiko report list [--server ID] [--from DATE] [--to DATE]           archived drill reports
  kumiko report countersign SERVER DRILL_ID      add the app's countersignature to an agent-signed report
  kumiko gdpr map|export|erase --server ID --database DB   GDPR: the subject map (--root
                 table.column, --save), an access export (--subject V), an erasure (--subject V
                 --dry-run | --yes); 'kumiko gdpr erasures --server ID': each erasure's
                 due date, or final; 'kumiko gdpr' alone lists the options
  kumiko gdpr requests list|add|show   GDPR requests: received day, one-month deadline, status,
                 evidence (--server ID --database DB --kind access|erasure --subject V)
  kumiko audit install|remove --server ID --db DB [--schemas a,b] [--tables s.t,…] [--yes]
                                                 the audit trail for record history and rollback
  kumiko rollback history|preview|apply --server ID --db DB --table S.T --key COL=VAL[,…]
                 [--at TIME | --version ID] [--reason TEXT --yes]   one record's versions, and
                                                 back to a moment in one transaction
  kumiko rollback subject --server ID --db DB --value V --at TIME [--root S.T.C]
                 [--keep-scratch] [--reason TEXT --confirm]   one subject's rows as of a
                                                 moment (a scratch restore: minutes)
  kumiko jobs list                               recent jobs
  kumiko log list|verify|export [--server ID] [--action CODE] [--who NAME] [--from DATE] [--to DATE]
                 [--result ok|failed] [--out DIR]   the accountability log of admin actions:
                                                 who, what, when, result; hash chain check;
                                                 signed CSV + JSON export
  kumiko call <command> [json-input]             invoke any contract command
  kumiko commands                                list the contract's commands

Options: --json: every outcome is one JSON object on stdout, {"ok":true,"value":…} or
{"ok":false,"error":{"code","message"}} (report verify: its findings, with "error" when not valid);
progress and questions go to stderr. --data-dir DIR (default ~/.config/kumiko-recovery; env
KUMIKO_DATA_DIR). --actor NAME (env KUMIKO_ACTOR): the name the accountability log records beside
the OS user (default: the name entered at first start). The secret vault passphrase comes from KUMIKO_VAULT_PASSPHRASE or a prompt.

Exit codes:
${EXIT_CODE_LINES.map((line) => `  ${line}`).join('\n')}
`;

/** `--port N`: a TCP port, or undefined when not given. */
function portFlag(args: ParsedArgs): number | undefined {
  if (!args.flags.has('port')) return undefined;
  const text = flagString(args, 'port') ?? '';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) {
    throw usageError(`--port must be a TCP port between 1 and 65535, not "${text}".`, USAGE);
  }
  return port;
}

/**
 * The `kumiko` command: the app's services without a window, over the same command map. Every
 * failure, whatever throws it, leaves through one path (printError): with --json one JSON
 * object on stdout, else one line on stderr; the exit code comes from one table (exit-codes.ts).
 */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has('json');
  try {
    return await run(args, json);
  } catch (err) {
    return printError(err, json);
  }
}

async function run(args: ParsedArgs, json: boolean): Promise<number> {
  const dataDir = flagString(args, 'data-dir') ?? defaultDataDir();
  // `kumiko --help` (or `kumiko <anything> --help`) is the overview.
  const command = args.flags.has('help') ? 'help' : args.positionals[0];

  switch (command) {
    case 'demo': {
      const demoPort = portFlag(args);
      // Loaded on demand: the demo pulls in the test harness, which nothing else needs.
      return (await import('./demo')).demo(flagString(args, 'dir') ?? '.kumiko-demo', demoPort);
    }
    case 'report':
      // Auditors verify without a data folder or vault (--key): no core for this one. Where
      // the app's data folder exists, its pinned keys are read from the store directly.
      if (args.positionals[1] === 'verify') return reportVerifyCommand(args, json, dataDir);
      break;
    case 'commands':
      if (json) return printResult({ ok: true, value: commandNames }, true);
      process.stdout.write(`${commandNames.join('\n')}\n`);
      return EXIT.ok;
    case 'help':
      if (json) return printResult({ ok: true, value: { usage: USAGE, exitCodes: EXIT } }, true);
      process.stdout.write(USAGE);
      return EXIT.ok;
    case undefined:
      throw usageError('Name a command, for example `kumiko servers list`.', USAGE);
    default:
      if (!KNOWN.has(command)) throw usageError(`Unknown command "${command}".`, USAGE);
      break;
  }

  const port = command === 'serve' ? portFlag(args) : undefined;
  const core = await openCore(dataDir, command === 'serve' ? 'web' : 'cli', undefined, {
    actorName: flagString(args, 'actor'),
  });
  try {
    switch (command) {
      case 'serve': {
        const web = await serve(core, port);
        await untilInterrupted();
        await web.close();
        return EXIT.ok;
      }
      case 'servers':
        return await serversCommand(core, args, json);
      case 'storage':
        return await storageCommand(core, args, json);
      case 'agent':
        return await agentCommand(core, args, json);
      case 'kit':
        return await kitCommand(core, args, json);
      case 'status':
        return await statusCommand(core, args, json);
      case 'catalog':
        return await catalogCommand(core, args, json);
      case 'restore':
        return await restoreCommand(core, args, json);
      case 'rebuild':
        return await rebuildCommand(core, args, json);
      case 'scratch':
        return await scratchCommand(core, args, json);
      case 'report':
        return await reportCommand(core, args, json);
      case 'drill':
        return await drillCommand(core, args, json);
      case 'point':
        return await pointCommand(core, args, json);
      case 'gdpr':
        return await gdprCommand(core, args, json);
      case 'audit':
        return await auditCommand(core, args, json);
      case 'rollback':
        return await rollbackCommand(core, args, json);
      case 'log':
        return await logCommand(core, args, json);
      case 'jobs':
        if (args.positionals[1] !== undefined && args.positionals[1] !== 'list') {
          throw usageError('usage: kumiko jobs list', USAGE);
        }
        return printResult(await core.dispatch('jobs.list', {}), json);
      default: {
        // 'call'
        const [, name, rawInput] = args.positionals;
        if (!name)
          throw usageError(
            'Name the contract command: kumiko call <command> [json-input] (see `kumiko commands`).',
          );
        let input: unknown = {};
        if (rawInput !== undefined) {
          try {
            input = JSON.parse(rawInput);
          } catch {
            throw usageError('The input is not valid JSON.');
          }
        }
        return printResult(await core.dispatch(name, input), json);
      }
    }
  } finally {
    await core.close();
  }
}

/** Commands that open the core (the vault and the store). */
const WITH_CORE = [
  'serve',
  'servers',
  'storage',
  'agent',
  'kit',
  'status',
  'catalog',
  'restore',
  'rebuild',
  'scratch',
  'report',
  'drill',
  'point',
  'gdpr',
  'audit',
  'rollback',
  'jobs',
  'log',
  'call',
];
const KNOWN = new Set(WITH_CORE);

/** Every top-level command (test/integration/cli-json.test.ts runs each in an error case). */
export const CLI_COMMANDS: readonly string[] = ['demo', 'commands', 'help', ...WITH_CORE];
