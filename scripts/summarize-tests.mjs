// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON
// report, and lists every test that did not run with its title, so "not run" is never
// mistaken for "passed". Exits non-zero when a test failed or none ran.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const notRun = [];
for (const file of report.testResults ?? []) {
  if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
  for (const test of file.assertionResults ?? []) {
    if (test.status === 'passed') passed += 1;
    else if (test.status === 'failed') failed += 1;
    else {
      skipped += 1;
      notRun.push(`${test.fullName} (${file.name.replace(process.cwd() + '/', '')})`);
    }
  }
}
if (notRun.length) {
  console.log('\nNot run here (reported as skipped, never as passed):');
  for (const line of notRun) console.log(`  - ${line}`);
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
