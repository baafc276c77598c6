import fs from 'node:fs/promises';
import path from 'node:path';
import { suites } from './suites';

/**
 * `npm run bench -- <suite|all>`: runs suites, prints a table per suite and writes
 * bench/results/<suite>.json as a flat object of named numbers.
 */
async function main(argv: string[]): Promise<number> {
  const wanted = argv.length === 0 || argv.includes('all') ? Object.keys(suites) : argv;
  const unknown = wanted.filter((name) => !(name in suites));
  if (unknown.length) {
    process.stderr.write(
      `Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}, all\n`,
    );
    return 2;
  }
  const outDir = path.join(import.meta.dirname, 'results');
  await fs.mkdir(outDir, { recursive: true });
  let failed = 0;
  for (const name of wanted) {
    const suite = await (suites[name] as () => ReturnType<(typeof suites)[string]>)();
    process.stdout.write(`\n## ${suite.name}: ${suite.description}\n`);
    try {
      const results = await suite.run((line) => process.stderr.write(`  ${line}\n`));
      const width = Math.max(...Object.keys(results).map((k) => k.length));
      for (const [key, value] of Object.entries(results)) {
        process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
      }
      await fs.writeFile(
        path.join(outDir, `${name}.json`),
        `${JSON.stringify(results, null, 2)}\n`,
      );
    } catch (err) {
      failed += 1;
      process.stderr.write(
        `  suite ${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`,
      );
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
