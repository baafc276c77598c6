import fs from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { dictionaries, translate } from '../../renderer/app/i18n/translate';
import { repoRoot } from '../harness/paths';
import { screenshot } from '../harness/browser';

// The walk through every page of the console (issue 16, "Done when"): each page in German and
// in English, axe-core's WCAG 2.1 A/AA rules run on it as it stands (with data), a screenshot
// under test-results/, and on the German pages no sentence of the English catalog and no raw
// error code. A helper, not a test file: the e2e file that already has the data (an installed
// agent, a timeline, a drill report, jobs) calls it, so CI pays for no second fixture.

const AXE_SCRIPT = path.join(repoRoot, 'node_modules/axe-core/axe.min.js');
const AXE_URL_PATH = '/__test__/axe.min.js';
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGE_READY_MS = 60_000;

export type Lang = 'de' | 'en';

/** One page of the walk: its address after '#', and optionally what shows it is filled. */
export interface WalkPage {
  name: string;
  path: string;
  /** A selector that is visible once the page shows its data (beyond the h1). */
  ready?: string;
}

/** What the walk found on one page in one language; empty lists when all is well. */
export interface PageFindings {
  lang: Lang;
  page: string;
  violations: string[];
  englishInGerman: string[];
  rawCodes: string[];
}

/**
 * English sentences a German page must not show: every English message without arguments that
 * the German catalog says differently, long enough to be a sentence and not a shared word
 * ("Agent", "OK", "Repository").
 */
export function englishSentences(): string[] {
  const en = dictionaries.en as Record<string, string>;
  const de = dictionaries.de as Record<string, string>;
  const out = new Set<string>();
  for (const [key, text] of Object.entries(en)) {
    if (/[{}]/.test(text) || text.length < 16 || de[key] === text) continue;
    // A sentence the German catalog also uses somewhere (a product name, a command) is shared.
    if (Object.values(de).some((german) => german.includes(text))) continue;
    out.add(text);
  }
  return [...out];
}

/** An error code as main sends it: SSH_AUTH_FAILED, STORAGE_NOT_EU. */
const RAW_CODE = /\b[A-Z][A-Z0-9]{1,}(?:_[A-Z0-9]+)+\b/g;

/**
 * The page's visible text without what is English on purpose: elements marked lang="en"
 * (main's technical message folded away, tool output) and the small-print error code.
 */
async function germanText(page: Page): Promise<string> {
  // In-page code as text: the node type-check has no DOM types (see drills.test.ts).
  return page.evaluate(`(() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[lang="en"], .error-code, script, style')) continue;
      if (parent.closest('[hidden], [aria-hidden="true"]')) continue;
      const text = node.textContent.trim();
      if (text) parts.push(text);
    }
    return parts.join('\\n');
  })()`);
}

/**
 * axe-core into the page by a script tag from the page's own origin: the console's CSP allows
 * scripts from 'self' only, and stays on for this test; the address is answered by the test.
 */
async function runAxe(page: Page, origin: string): Promise<string[]> {
  const loaded = await page.evaluate(`typeof window.axe === 'object'`);
  if (!loaded) await page.addScriptTag({ url: `${origin}${AXE_URL_PATH}` });
  const results = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} }, resultTypes: ['violations'] })`,
  )) as AxeResults;
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? '?'}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

/** Opens a page by its address and waits until it shows its heading and is done loading. */
async function openPage(page: Page, origin: string, walk: WalkPage, lang: Lang): Promise<void> {
  await page.goto(`${origin}/#${walk.path}`);
  await page.locator('h1').first().waitFor({ timeout: PAGE_READY_MS });
  if (walk.ready) await page.locator(walk.ready).first().waitFor({ timeout: PAGE_READY_MS });
  const loading = translate(lang, 'common.loading');
  // A function, not a string: the console's CSP forbids eval, which Playwright uses to poll a
  // string predicate (CI saw "EvalError … unsafe-eval" whenever the page was still loading).
  // It runs in the page; the test's tsconfig has no DOM types.
  type PageGlobal = { document: { body: { innerText: string } } };
  await page.waitForFunction(
    (text) => !(globalThis as unknown as PageGlobal).document.body.innerText.includes(text),
    loading,
    { timeout: PAGE_READY_MS },
  );
}

/**
 * Walks `pages` in German, then English: axe, a screenshot (test-results/e2e-axe-<lang>-<page>),
 * and on German pages the English-sentence and raw-code checks. The language is chosen the way
 * a user's choice is remembered (localStorage kumiko.lang) and set back to `restore` after.
 */
export async function walkConsole(
  page: Page,
  origin: string,
  pages: readonly WalkPage[],
  restore: Lang = 'en',
): Promise<PageFindings[]> {
  const english = englishSentences();
  const findings: PageFindings[] = [];
  for (const lang of ['de', 'en'] as const) {
    // The remembered choice is read when the console starts: set it, then load it afresh (a
    // change of address after '#' alone keeps the running console and its language).
    await page.evaluate(`localStorage.setItem('kumiko.lang', ${JSON.stringify(lang)})`);
    await page.reload();
    for (const walk of pages) {
      await openPage(page, origin, walk, lang);
      findings.push(await checkShownPage(page, origin, walk.name, lang, english));
    }
  }
  await page.evaluate(`localStorage.setItem('kumiko.lang', ${JSON.stringify(restore)})`);
  await page.reload();
  return findings;
}

/**
 * Checks the page as it stands, without loading anything (a state only clicks reach: an open
 * form, a hint after a failed connect): axe, a screenshot, and on a German page the English-
 * sentence and raw-code checks. The page must already speak `lang`.
 */
export async function checkShownPage(
  page: Page,
  origin: string,
  name: string,
  lang: Lang,
  english: readonly string[] = englishSentences(),
): Promise<PageFindings> {
  const shown = await page.evaluate('document.documentElement.lang');
  if (shown !== lang) throw new Error(`${name}: the console speaks ${String(shown)}, not ${lang}`);
  await page.route(`${origin}${AXE_URL_PATH}`, (route) =>
    route.fulfill({ path: AXE_SCRIPT, contentType: 'text/javascript' }),
  );
  const found: PageFindings = {
    lang,
    page: name,
    violations: await runAxe(page, origin),
    englishInGerman: [],
    rawCodes: [],
  };
  await page.unroute(`${origin}${AXE_URL_PATH}`);
  if (lang === 'de') {
    const text = await germanText(page);
    found.englishInGerman = english.filter((sentence) => text.includes(sentence));
    found.rawCodes = [...new Set(text.match(RAW_CODE) ?? [])];
  }
  const shots = path.join(repoRoot, 'test-results');
  fs.mkdirSync(shots, { recursive: true });
  await screenshot(page, path.join(shots, `e2e-axe-${lang}-${name}.png`));
  return found;
}

/** The findings that fail the walk, one line each, for a readable assertion message. */
export function problems(findings: readonly PageFindings[]): string[] {
  return findings.flatMap((f) => [
    ...f.violations.map((v) => `${f.lang} ${f.page}: axe ${v}`),
    ...f.englishInGerman.map((s) => `${f.lang} ${f.page}: English sentence "${s}"`),
    ...f.rawCodes.map((c) => `${f.lang} ${f.page}: raw code ${c}`),
  ]);
}
