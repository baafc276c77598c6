import { commandNames } from '../../shared/contract';
import { flagString, parseArgs } from './args';
import { defaultDataDir, openCore } from './context';
import { EXIT, printResult } from './output';
import { serve, untilInterrupted } from './serve';
import { agentCommand, statusCommand } from './agent-commands';
import { catalogCommand } from './catalog-commands';
import { drillCommand } from './drill-commands';
import { kitCommand } from './kit-commands';
import { pointCommand } from './point-commands';
import { reportCommand, reportVerifyCommand } from './report-commands';
import { restoreCommand, scratchCommand } from './restore-commands';
import { serversCommand } from './servers-commands';
import { storageCommand } from './storage-commands';

const USAGE = `kumiko — Kumiko Recovery command line

  kumiko demo [--dir .kumiko-demo] [--port N]   start the embedded demo and its console
  kumiko serve [--port N]                        console in a browser (127.0.0.1, token URL)
  kumiko servers list|add|trust|connect|remove   manage servers (add: --host --port --user --key-file)
  kumiko storage check|save|show                 EU bucket: --endpoint --bucket --region --access-key-id
                                                 --secret-access-key-file F --own-storage --ca-file F --server ID
  kumiko agent plan|install|uninstall|kit --server ID --cluster DATADIR [--paths a,b] [--confirm-restart]
  kumiko kit export|acknowledge|status --server ID [--out DIR] [--file KIT.pdf] [--yes]
                                                 the recovery kit PDF; the server counts as protected
                                                 only once the kit is acknowledged (stored off the server)
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
  kumiko drill run --server ID [--json]          restore drill on the server's agent: progress, signed report
                                                 (exit 0 passed, 1 failed; the report is archived either way)
  kumiko drill list|sync --server ID             drill history and schedule | archive the agent's own reports
  kumiko report verify <bundle|folder|zip> [--key F] [--json]   check signatures, hashes and chain
                                                 against the keys pinned in the app's data folder
                                                 (if any) and --key, never the bundle's own (exit 0
                                                 valid, 1 invalid, 4 signer not trusted)
  kumiko report export --server ID --from DATE --to DATE [--out FILE]   drill reports as one zip
  kumiko report list [--server ID] [--from DATE] [--to DATE]           archived drill reports
  kumiko report countersign SERVER DRILL_ID      add the app's countersignature to an agent-signed report
  kumiko jobs list                               recent jobs
  kumiko call <command> [json-input]             invoke any contract command
  kumiko commands                                list the contract's commands

Options: --json (machine-readable Result), --data-dir DIR (default ~/.config/kumiko-recovery;
env KUMIKO_DATA_DIR). The secret vault passphrase comes from KUMIKO_VAULT_PASSPHRASE or a prompt.
Exit codes: 0 ok, 1 failed, 2 invalid input or usage, 3 host key changed,
4 report signature valid but signer not trusted.
`;

/** The `kumiko` command: the app's services without a window, over the same command map. */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has('json');
  const dataDir = flagString(args, 'data-dir') ?? defaultDataDir();
  const port = flagString(args, 'port') ? Number(flagString(args, 'port')) : undefined;
  const [command] = args.positionals;

  switch (command) {
    case 'demo':
      // Loaded on demand: the demo pulls in the test harness, which nothing else needs.
      return (await import('./demo')).demo(flagString(args, 'dir') ?? '.kumiko-demo', port);
    case 'report':
      // Auditors verify without a data folder or vault (--key): no core for this one. Where
      // the app's data folder exists, its pinned keys are read from the store directly.
      if (args.positionals[1] === 'verify') return reportVerifyCommand(args, json, dataDir);
      break;
    case 'commands':
      process.stdout.write(`${commandNames.join('\n')}\n`);
      return EXIT.ok;
    case undefined:
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      break;
  }

  const core = await openCore(dataDir, command === 'serve' ? 'web' : 'cli');
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
      case 'scratch':
        return await scratchCommand(core, args, json);
      case 'report':
        return await reportCommand(core, args, json);
      case 'drill':
        return await drillCommand(core, args, json);
      case 'point':
        return await pointCommand(core, args, json);
      case 'jobs':
        return printResult(await core.dispatch('jobs.list', {}), json);
      case 'call': {
        const [, name, rawInput] = args.positionals;
        let input: unknown = {};
        if (rawInput !== undefined) {
          try {
            input = JSON.parse(rawInput);
          } catch {
            return printResult(
              {
                ok: false,
                error: { code: 'INVALID_INPUT', message: 'The input is not valid JSON.' },
              },
              json,
            );
          }
        }
        return printResult(await core.dispatch(name ?? '', input), json);
      }
      default:
        process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
        return EXIT.usage;
    }
  } finally {
    await core.close();
  }
}
