// First: refuses an unsupported Node.js before anything else loads.
import './runtime/supported-node';
import path from 'node:path';
import { drillProgressLine } from '../shared/agent/drill';
import { PointNote, pointProgressLine } from '../shared/agent/point';
import { parseArgs, type CliArgs } from './cli-args';
import { AUDIT_COMMANDS, runAuditCommand, type AuditCommand } from './audit/audit-commands';
import { runDrill } from './drill/drill';
import { productionProgressLine, restoreProgressLine } from '../shared/agent/restore';
import { runProductionRestore } from './restore/production-restore';
import { listDatabases } from './snapshot/table-stats';
import { parseProductionSpec, parseRestoreSpec } from './restore/restore-spec';
import { dropScratch, listScratch } from './restore/scratch-admin';
import { bucketHistory, runRestore } from './restore/history-restore';
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
import { parsePlaceSpec, placeRebuiltCluster } from './rebuild/place-cluster';
import { placeVerifiedRestore } from './rebuild/place-verified';
import { AGENT_VERSION } from './version';
import { sendTestAlerts } from './alerts/test-send';

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

async function runCommand(
  args: ReturnType<typeof parseArgs>,
  config: ReturnType<typeof loadConfig>,
): Promise<number> {
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
  if ((AUDIT_COMMANDS as readonly string[]).includes(args.command)) {
    print(await runAuditCommand(args.command as AuditCommand, config, args.spec, args.dryRun));
    return EXIT.ok;
  }
  switch (args.command) {
    case 'snapshot':
      return snapshot(args, config, log);
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
    case 'restore':
      return restore(args, config, log);
    case 'restore-production':
      return restoreProduction(args, config, log);
    case 'databases':
      // Production's own list of its databases (connectable, not templates): the name the
      // admin types to confirm a restore over production is one of these.
      print(await listDatabases(config));
      return EXIT.ok;
    case 'bucket-history':
      print(await bucketHistory(ctx, args.options['key-file']));
      return EXIT.ok;
    case 'scratch-list':
      print(listScratch(config));
      return EXIT.ok;
    case 'scratch-drop': {
      const dropped = await dropScratch(config, args.id ?? '', log);
      print({ id: args.id, dropped });
      return EXIT.ok;
    }
    case 'rebuild-place':
      print(await placeRebuiltCluster(makeContext(config, log), parsePlaceSpec(args.spec)));
      return EXIT.ok;
    case 'alert-test': {
      // A test message through the configured channels, from this server (issue 16 §5).
      const channel = args.options.channel;
      if (channel !== 'smtp' && channel !== 'webhook')
        throw new AgentError('usage', '--channel smtp|webhook is required', EXIT.usage);
      print(await sendTestAlerts(config.alerts, config.serverId, channel, new Date()));
      return EXIT.ok;
    }
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
 * `snapshot`: SIGTERM/SIGINT (the app cancelling a point it asked for) stop pgBackRest and restic;
 * the state records the attempt as failed. A note is checked before anything starts.
 */
async function snapshot(
  args: CliArgs,
  config: ReturnType<typeof loadConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<number> {
  const note = args.note === undefined ? undefined : PointNote.safeParse(args.note);
  if (note && !note.success) {
    throw new AgentError('usage', `--note: ${note.error.issues[0]?.message}`, EXIT.usage);
  }
  const controller = new AbortController();
  const stop = (signal: string): void => {
    log.warn(`snapshot: ${signal}: stopping`);
    controller.abort();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const ctx = makeContext(config, log, {
    signal: controller.signal,
    ...(args.now ? { now: () => args.now as Date } : {}),
  });
  print(
    await takeSnapshot(ctx, {
      type: args.type,
      note: note?.data,
      heal: args.heal,
      onProgress: args.progress
        ? (progress) => process.stderr.write(`${pointProgressLine(progress)}\n`)
        : undefined,
    }),
  );
  return EXIT.ok;
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

/**
 * `restore`: like a drill, SIGTERM/SIGINT (the app's cancel) abort the running tools, and the
 * restore removes what it made before the process ends.
 */
async function restore(
  args: CliArgs,
  config: ReturnType<typeof loadConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<number> {
  const spec = parseRestoreSpec(args.spec);
  const controller = new AbortController();
  const stop = (signal: string): void => {
    log.warn(`restore ${spec.id}: ${signal}: stopping and removing the scratch environment`);
    controller.abort();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const ctx = makeContext(config, log, { signal: controller.signal });
  const outcome = await runRestore(ctx, spec, (progress) => {
    if (args.progress) process.stderr.write(`${restoreProgressLine(progress)}\n`);
  });
  print(await placeVerifiedRestore(ctx, spec.id, spec.place, outcome));
  return outcome.exitCode;
}

/**
 * `restore-production`: SIGTERM/SIGINT (the app's cancel) stop it only until PostgreSQL is being
 * stopped; from then on the restore runs to its end (a signal is logged and ignored), so a
 * half-restored production directory is never left behind.
 */
async function restoreProduction(
  args: CliArgs,
  config: ReturnType<typeof loadConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<number> {
  const spec = parseProductionSpec(args.spec);
  const controller = new AbortController();
  let pastReturn = false;
  const stop = (signal: string): void => {
    if (pastReturn) {
      log.warn(`restore over production: ${signal} ignored: PostgreSQL is being restored`);
      return;
    }
    log.warn(`restore over production: ${signal}: stopping before PostgreSQL is touched`);
    controller.abort();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const ctx = makeContext(config, log, { signal: controller.signal });
  const run = await runProductionRestore(
    ctx,
    spec,
    (progress) => {
      if (args.progress) process.stderr.write(`${productionProgressLine(progress)}\n`);
    },
    () => {
      pastReturn = true;
    },
  );
  print(run.outcome);
  return run.exitCode;
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
