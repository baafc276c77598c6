import { z } from 'zod';
import { MANAGED_SETTINGS, type ManagedSetting, type Preflight } from './preflight';

const Values = z.record(z.string(), z.string());

/**
 * What install found before it changed anything, kept by the server (root-owned, in the agent's
 * state folder) and by the app: the settings as PostgreSQL ran them, the lines
 * postgresql.auto.conf had for them (a missing name: no line), and the values install set.
 * Uninstall puts back exactly these lines with ALTER SYSTEM (SET the old value, or RESET when
 * there was no line), which leaves postgresql.auto.conf byte-identical when nobody else
 * changed it meanwhile.
 */
export const PriorSettings = z.object({
  version: z.literal(2),
  settings: Values,
  autoConf: Values,
  changed: Values,
  /** The names postgresql.auto.conf set, in file order (ALTER SYSTEM moves what it changes). */
  autoConfOrder: z.array(z.string()).default([]),
});
export type PriorSettings = z.output<typeof PriorSettings>;

/** The record of version 1 (before 2026-12): only pg_settings' values. */
const PriorSettingsV1 = z.object({ settings: Values });

/** The record install writes for a server found as `pre`, which it changes by `changes`. */
export function priorSettingsRecord(
  pre: Pick<Preflight, 'settings' | 'autoConf' | 'autoConfNames'>,
  changes: Partial<Record<ManagedSetting, string>>,
): PriorSettings {
  return {
    version: 2,
    settings: { ...pre.settings },
    autoConf: { ...pre.autoConf },
    changed: { ...changes },
    autoConfOrder: [...pre.autoConfNames],
  };
}

/**
 * The record from its JSON text (the server's file or the app's copy), or null when there is
 * none or it is not one. A version-1 record only knows pg_settings' values: it becomes one in
 * which install set `target` and postgresql.auto.conf held the values PostgreSQL ran (none for
 * an archive_command PostgreSQL showed as "(disabled)"), the old uninstall's behaviour.
 */
export function parsePriorSettings(
  text: string | null | undefined,
  target: Record<ManagedSetting, string>,
): PriorSettings | null {
  if (!text?.trim()) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const current = PriorSettings.safeParse(raw);
  if (current.success) return current.data;
  const old = PriorSettingsV1.safeParse(raw);
  if (!old.success) return null;
  const settings: Record<string, string> = {};
  const autoConf: Record<string, string> = {};
  const changed: Record<string, string> = {};
  for (const name of MANAGED_SETTINGS) {
    const value = old.data.settings[name];
    if (value === undefined) continue;
    settings[name] = value;
    if (value !== '(disabled)') autoConf[name] = value;
    if (value !== target[name]) changed[name] = target[name];
  }
  return { version: 2, settings, autoConf, changed, autoConfOrder: [] };
}

/** One setting uninstall puts back: `value` null means ALTER SYSTEM RESET (no line, as before). */
export interface SettingRestore {
  name: ManagedSetting;
  /** The line postgresql.auto.conf gets back, or null for none. */
  value: string | null;
  /** What PostgreSQL ran with before install (pg_settings), for the admin. */
  before: string;
}

/** A setting uninstall leaves as it is, and why. */
export interface SettingLeft {
  name: ManagedSetting;
  /** What postgresql.auto.conf says now (null: no line). */
  now: string | null;
  reason: 'changed-since-install';
}

/**
 * Which settings to put back: those install changed and postgresql.auto.conf still has at
 * install's value. One the admin changed since (another value, or RESET) is theirs now and is
 * left, and named in the result.
 */
export function restorePlan(
  record: PriorSettings,
  now: Pick<Preflight, 'autoConf'>,
): { restore: SettingRestore[]; left: SettingLeft[] } {
  const restore: SettingRestore[] = [];
  const left: SettingLeft[] = [];
  for (const name of MANAGED_SETTINGS) {
    const installed = record.changed[name];
    if (installed === undefined) continue;
    const current = now.autoConf[name] ?? null;
    if (current !== installed) {
      left.push({ name, now: current, reason: 'changed-since-install' });
      continue;
    }
    restore.push({
      name,
      value: record.autoConf[name] ?? null,
      before: record.settings[name] ?? '',
    });
  }
  return { restore, left };
}

/** A line of postgresql.auto.conf: its name and value as written. */
export interface AutoConfLine {
  name: string;
  value: string;
}

/**
 * The ALTER SYSTEM SETs (current values, so nothing changes but the order) that put
 * postgresql.auto.conf's lines back in the order of before install: ALTER SYSTEM appends a
 * line it changes, so a setting install changed and uninstall set back ends up last. From the
 * first line out of place on, every line is set again in the wanted order; lines added since
 * install follow, in their order.
 */
export function reorderStatements(
  order: readonly string[],
  current: readonly AutoConfLine[],
): AutoConfLine[] {
  const byName = new Map(current.map((line) => [line.name, line]));
  const wanted = [
    ...order.filter((name) => byName.has(name)),
    ...current.map((line) => line.name).filter((name) => !order.includes(name)),
  ];
  const first = wanted.findIndex((name, i) => current[i]?.name !== name);
  if (first < 0) return [];
  return wanted.slice(first).map((name) => byName.get(name) as AutoConfLine);
}
