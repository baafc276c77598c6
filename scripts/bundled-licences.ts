/** One npm package the app ships (a runtime dependency, direct or not) and its licence. */
export interface BundledLicence {
  name: string;
  version: string;
  /** The SPDX expression from the package's own package.json, as npm recorded it. */
  license: string;
}

interface LockPackage {
  version?: string;
  license?: string;
  dev?: boolean;
  link?: boolean;
}

/**
 * The licences of the packages the app ships, from package-lock.json (lockfile v2/v3 records
 * each package's `license` field from its package.json): every package npm installs for
 * production (`dev` not set), by name and version, sorted. Read at build time into the About
 * page, so it lists exactly what this build was made from. `fallback` answers for a package
 * the lockfile has no `license` for (see installedLicence).
 */
export function bundledLicences(
  lock: unknown,
  fallback: (where: string) => string | null = () => null,
): BundledLicence[] {
  const packages = (lock as { packages?: Record<string, LockPackage> }).packages ?? {};
  const seen = new Map<string, BundledLicence>();
  for (const [where, pkg] of Object.entries(packages)) {
    const at = where.lastIndexOf('node_modules/');
    if (at < 0 || pkg.dev || pkg.link || !pkg.version) continue;
    const name = where.slice(at + 'node_modules/'.length);
    const license = pkg.license ?? fallback(where) ?? 'UNKNOWN';
    const entry = { name, version: pkg.version, license };
    seen.set(`${name}@${pkg.version}`, entry);
  }
  return [...seen.values()].sort((a, b) =>
    a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1,
  );
}

/**
 * The licence of an installed package whose lockfile entry has none: the old `licenses` array
 * of its package.json, else an MIT LICENSE file recognised by its grant sentence (said so).
 */
export function installedLicence(readFile: (relative: string) => string | null): string | null {
  const manifest = readFile('package.json');
  if (manifest) {
    const json = JSON.parse(manifest) as { license?: unknown; licenses?: { type?: unknown }[] };
    if (typeof json.license === 'string') return json.license;
    const types = (json.licenses ?? []).map((l) => l.type).filter((t) => typeof t === 'string');
    if (types.length > 0) return types.join(' OR ');
  }
  const text = readFile('LICENSE') ?? readFile('LICENSE.md') ?? '';
  if (/Permission is hereby granted, free of charge/.test(text)) return 'MIT (LICENSE file)';
  return null;
}
