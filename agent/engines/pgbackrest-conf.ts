import fs from 'node:fs';

/**
 * Reads one option from a pgBackRest config file: the stanza section wins over [global]
 * (pgBackRest's own precedence). Returns undefined when the option is not set.
 */
export function pgbackrestOption(
  configPath: string,
  stanza: string,
  option: string,
): string | undefined {
  const sections = parseIni(fs.readFileSync(configPath, 'utf8'));
  return sections.get(stanza)?.get(option) ?? sections.get('global')?.get(option);
}

/** `[section]` / `key=value` lines, as pgBackRest writes and reads them. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1] as string;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}
