import fs from 'node:fs';
import path from 'node:path';

/** Where the agent's messages go. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Append to this file (the daemon's stateDir/agent.log); rotated at `rotateBytes`. */
  file?: string;
  /** Also write to stderr (interactive commands). */
  stderr?: boolean;
  /** Applied to every line, so secrets never reach a log. */
  redact?: (text: string) => string;
  /** Default 10 MB. */
  rotateBytes?: number;
  /** Rotated files kept (agent.log.1 … .N); default 3. */
  keep?: number;
}

/** Default rotation size: big enough for weeks of heartbeats, small enough for any disk. */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/**
 * A line logger. File writes are synchronous on purpose: the daemon logs a few lines a
 * minute, and a crash must not lose the line that explains it.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redact = options.redact ?? ((t: string) => t);
  const rotateBytes = options.rotateBytes ?? LOG_ROTATE_BYTES;
  const keep = options.keep ?? 3;
  if (options.file) fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });

  const write = (level: string, message: string): void => {
    const line = `${new Date().toISOString()} ${level} ${redact(message)}\n`;
    if (options.stderr) process.stderr.write(line);
    if (!options.file) return;
    try {
      // Stat every time: the supervisor and the daemon append to the same file.
      if (fileSize(options.file) + line.length > rotateBytes) rotate(options.file, keep);
      fs.appendFileSync(options.file, line, { mode: 0o600 });
    } catch {
      // A full disk must not stop backups; stderr (if any) still has the line.
    }
  };
  return {
    info: (m) => write('INFO', m),
    warn: (m) => write('WARN', m),
    error: (m) => write('ERROR', m),
  };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** agent.log → agent.log.1 → … → agent.log.<keep> (the oldest is dropped). */
function rotate(file: string, keep: number): void {
  for (let i = keep - 1; i >= 1; i--) {
    if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
  }
  if (fs.existsSync(file)) fs.renameSync(file, `${file}.1`);
}

/** A logger that drops everything (tests of pure pieces, `version`). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
