import fs from 'node:fs/promises';
import type { DrillOverview, Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { printResult, usageError } from './output';

export const DRILL_SETTINGS_USAGE = `       kumiko drill settings --server <id> [--every 91d|12h|30m|off] [--smoke-checks-file F.json]
                             [--deep-index-check on|off] [--json]
         the Drills page's settings editor: what is not given stays as the agent has it;
         F.json is an array of {"name","database","sql","expect":"equals|atLeast|atMost","value"}`;

const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400 };

/** `--every 91d|12h|30m|off` in seconds (0 = off), or undefined when not given. */
function intervalFlag(args: ParsedArgs): number | undefined {
  if (!args.flags.has('every')) return undefined;
  const text = flagString(args, 'every') ?? '';
  if (text === 'off') return 0;
  const m = /^(\d+)([mhd])$/.exec(text);
  if (!m) {
    throw usageError(
      `--every takes a number with m, h or d (e.g. 91d) or "off", not "${text}".`,
      DRILL_SETTINGS_USAGE,
    );
  }
  return Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
}

async function smokeChecksFlag(args: ParsedArgs): Promise<unknown[] | undefined> {
  const file = flagString(args, 'smoke-checks-file');
  if (!file) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw usageError(`Cannot read --smoke-checks-file as JSON: ${(err as Error).message}.`);
  }
  if (!Array.isArray(parsed)) {
    throw usageError('--smoke-checks-file must hold a JSON array of smoke checks ([] for none).');
  }
  return parsed;
}

function onOffFlag(args: ParsedArgs, name: string): boolean | undefined {
  if (!args.flags.has(name)) return undefined;
  const value = flagString(args, name);
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw usageError(`--${name} takes on or off, not "${value ?? ''}".`, DRILL_SETTINGS_USAGE);
}

/**
 * `kumiko drill settings`: saves the drill schedule, smoke checks and pg_amcheck mode into the
 * agent's config (drill.settings.save, as the console's editor). Settings not given are read
 * from the agent first, so a flag changes only what it names.
 */
export async function drillSettings(
  core: AppCore,
  serverId: string,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  let intervalSeconds: number | undefined = intervalFlag(args);
  let smokeChecks: unknown[] | undefined = await smokeChecksFlag(args);
  const amcheckHeapAllIndexed = onOffFlag(args, 'deep-index-check');
  if (
    intervalSeconds === undefined &&
    smokeChecks === undefined &&
    amcheckHeapAllIndexed === undefined
  ) {
    throw usageError(
      'Name a setting to change: --every, --smoke-checks-file or --deep-index-check.',
      DRILL_SETTINGS_USAGE,
    );
  }
  if (intervalSeconds === undefined || smokeChecks === undefined) {
    const overview = (await core.dispatch('drill.overview', { serverId })) as Result<DrillOverview>;
    if (!overview.ok) return printResult(overview, json);
    intervalSeconds ??= overview.value.intervalSeconds ?? undefined;
    smokeChecks ??= overview.value.smokeChecks ?? undefined;
    if (intervalSeconds === undefined || smokeChecks === undefined) {
      throw usageError(
        `The agent's drill settings could not be read (${overview.value.settingsError ?? 'unknown'}): give both --every and --smoke-checks-file.`,
      );
    }
  }
  const saved = await core.dispatch('drill.settings.save', {
    serverId,
    intervalSeconds,
    smokeChecks,
    ...(amcheckHeapAllIndexed === undefined ? {} : { amcheckHeapAllIndexed }),
  });
  if (saved.ok && !json) {
    process.stderr.write(`${(saved.value as { message: string }).message}\n`);
  }
  return printResult(saved, json);
}
