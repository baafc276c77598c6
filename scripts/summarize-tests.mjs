// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON
// report, and lists every test that did not run with its title, so "not run" is never
// mistaken for "passed". Every failed test is listed last with the head of its failure message:
// CI shows only the end of its log, and that must say what failed and why. Exits non-zero when
// a test failed or none ran.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const notRun = [];
const failures = [];
// eslint-disable-next-line no-control-regex
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');
const head = (text, lines) => plain(text).split('\n').slice(0, lines).join('\n    ');
for (const file of report.testResults ?? []) {
  const fileName = file.name.replace(process.cwd() + '/', '');
  if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
    failed += 1;
    failures.push(`${fileName}: ${head(file.message ?? 'failed before its tests ran', 30)}`);
  }
  for (const test of file.assertionResults ?? []) {
    if (test.status === 'passed') passed += 1;
    else if (test.status === 'failed') {
      failed += 1;
      const why = (test.failureMessages ?? []).map((m) => head(m, 30)).join('\n    ');
      failures.push(`${test.fullName} (${fileName})\n    ${why}`);
    } else {
      skipped += 1;
      notRun.push(`${test.fullName} (${fileName})`);
    }
  }
}
if (notRun.length) {
  console.log('\nNot run here (reported as skipped, never as passed):');
  for (const line of notRun) console.log(`  - ${line}`);
}
if (failures.length) {
  console.log('\nFailed:');
  for (const line of failures) console.log(`  - ${line}`);
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
