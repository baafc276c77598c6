// First: refuses an unsupported Node.js before anything else loads.
import './runtime/supported-node';
import path from 'node:path';
import { drillProgressLine } from '../shared/agent/drill';
import { parseArgs, type CliArgs } from './cli-args';
import { runDrill } from './drill/drill';
import { currentStatus, runHeartbeat } from './heartbeat/heartbeat';
import { applyRetention } from './retention/retention';
import { configSecrets, loadConfig } from './runtime/config-file';
import { makeContext } from './runtime/context';
import { AgentError, EXIT, errorMessage } from './runtime/errors';
import { createLogger } from './runtime/log';
import { makeRedactor } from './runtime/redact';
import { statePaths } from './runtime/state-paths';
import { runDaemon } from './scheduler/daemon';
import { runSupervisor, stopAgent } from './scheduler/supervisor';
import { takeSnapshot } from './snapshot/snapshot';
import { agentUnitFile } from './systemd';
import { AGENT_VERSION } from './version';

// kumiko-agent: the program on the customer's server. One bundled file, run by a supported
// Node.js LTS (shared/agent/node-support.ts).
// stdout carries results (JSON) for the app reading it over SSH; stderr carries log lines and
// errors as "kumiko-agent <command>: <step>: <message>".

// The AWS SDK warns on every start under Node < 22 that future SDK releases will need it. The
// bundled SDK works on the server's Node as it is; the notice would only fill the agent's log
// with an ERROR line per restart. (Node support is the installer's concern: see DESIGN.md §3.)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let redact = (text: string): string => text;

const print = (value: unknown): void => {
  process.stdout.write(
    typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`,
  );
};

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'version') {
    print(AGENT_VERSION);
    return EXIT.ok;
  }
  if (args.command === 'systemd-unit') {
    print(
      agentUnitFile(
        args.options.node ?? process.execPath,
        args.options.bundle ?? path.resolve(process.argv[1] ?? 'kumiko-agent.cjs'),
        path.resolve(args.configPath),
      ),
    );
    return EXIT.ok;
  }
  const config = loadConfig(args.configPath);
  redact = makeRedactor(configSecrets(config));
  return runCommand(args, config);
}

async function runCommand(args: CliArgs, config: ReturnType<typeof loadConfig>): Promise<number> {
  const logFile = statePaths(config.stateDir).log;
  const background = args.command === 'daemon' || args.command === 'supervise';
  const log = createLogger({
    file: logFile,
    // Under systemd stderr is the journal; a supervised daemon's stderr is already the log.
    stderr: !background || (args.command === 'daemon' && !!process.env.INVOCATION_ID),
    redact,
  });
  if (background) {
    process.on('uncaughtException', (error) => {
      log.error(`crashed: ${error.stack ?? error.message}`);
      process.exit(EXIT.failed);
    });
  }
  const ctx = makeContext(config, log, args.now ? { now: () => args.now as Date } : {});
  switch (args.command) {
    case 'snapshot':
      print(await takeSnapshot(ctx, { type: args.type }));
      return EXIT.ok;
    case 'retention':
      print(await applyRetention(ctx, { dryRun: args.dryRun }));
      return EXIT.ok;
    case 'heartbeat': {
      const run = await runHeartbeat(ctx);
      print(run.heartbeat);
      if (run.problems.length === 0) return EXIT.ok;
      process.stderr.write(`kumiko-agent heartbeat: ${redact(run.problems.join('; '))}\n`);
      return EXIT.failed;
    }
    case 'status':
      print(await currentStatus(ctx));
      return EXIT.ok;
    case 'drill':
      return drill(args, config, log);
    case 'daemon':
      return runDaemon(config, log);
    case 'supervise':
      return runSupervisor(path.resolve(args.configPath), config.stateDir, log);
    case 'stop': {
      const stopped = await stopAgent(config.stateDir);
      print(
        stopped
          ? `stopped the ${stopped.what} (pid ${stopped.pid})${stopped.forced ? ' with SIGKILL' : ''}`
          : 'not running',
      );
      return EXIT.ok;
    }
    default:
      throw new AgentError('usage', `unhandled command ${args.command}`, EXIT.usage);
  }
}

/**
 * `drill`: SIGTERM/SIGINT (the app cancelling, an admin's Ctrl-C) abort the running tools; the
 * drill then removes its throwaway environment before the process ends.
 */
async function drill(
  args: CliArgs,
  config: ReturnType<typeof loadConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<number> {
  const controller = new AbortController();
  const stop = (signal: string): void => {
    log.warn(`drill: ${signal}: stopping and removing the throwaway environment`);
    controller.abort();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const ctx = makeContext(config, log, { signal: controller.signal });
  const outcome = await runDrill(ctx, {
    onProgress: args.progress
      ? (progress) => process.stderr.write(`${drillProgressLine(progress)}\n`)
      : undefined,
  });
  print(outcome.summary);
  return outcome.exitCode;
}

const command = process.argv[2] ?? '';
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // An open S3 socket or a stray timer must not keep a finished command alive.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    const code = error instanceof AgentError ? error.exitCode : EXIT.failed;
    const where = error instanceof AgentError && error.step !== 'usage' ? `${error.step}: ` : '';
    const text =
      error instanceof AgentError && error.step === 'usage'
        ? error.message
        : `kumiko-agent ${command}: ${where}${errorMessage(error)}`;
    process.stderr.write(`${redact(text)}\n`);
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2_000).unref();
  },
);
