import { utf8Decode } from '../sshsig/bytes';
import { BUNDLE_FILES, evidencePath } from './bundle-layout';
import { checkDescription, checkHeading } from './check-descriptions';
import { wordCheckDetail } from './check-words';
import { controlRows } from './controls';
import { verifyCommand } from './allowed-signers';
import { formatBytes, formatSeconds, formatUtc, label, paragraphs, type Bilingual } from './i18n';
import type { ReportJson, ReportLanguage } from './report-json';

/**
 * report.pdf as a list of blocks, built from report.json and the evidence alone (pure), so
 * the layout is testable without a PDF library and the renderer (node/report/report-pdf.ts)
 * only draws. Order: summary first (verdict, RTO, RPO, what, when, by whom), every check with
 * its evidence excerpt, the control mapping, how to verify.
 */

export type PdfBlock =
  | { kind: 'title'; text: string; subtitle: string }
  | { kind: 'verdict'; passed: boolean; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'check'; title: string; passed: boolean; status: string }
  | { kind: 'fields'; rows: { label: string; value: string; mono?: boolean }[] }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  | { kind: 'code'; caption: string; text: string }
  | {
      kind: 'table';
      /** Column titles and their share of the page width (sum 1). */
      columns: { title: string; width: number }[];
      rows: string[][];
      /** Column whose cells are PASS/FAIL marks, coloured by `passed[row]`. */
      status?: { column: number; passed: boolean[] };
    }
  | { kind: 'pageBreak' };

export interface PdfModel {
  title: string;
  subject: string;
  /** Footer on every page (drill id and page numbers are added by the renderer). */
  footer: string;
  blocks: PdfBlock[];
}

/** What the PDF shows that report.json does not hold. */
export interface PdfExtras {
  /** `SHA256:…` fingerprint of the signer's key (computed by the caller with node:crypto). */
  signerFingerprint: string;
  /**
   * Set when this PDF is a reading copy in one language, made later from the signed report.json
   * of an archived bundle (the bundle's own report.pdf is the signed one): its MANIFEST hash.
   */
  readingCopyOf?: { manifestSha256: string };
}

const EXCERPT_LINES = 24;
const EXCERPT_WIDTH = 110;

const T = {
  title: { de: 'Wiederherstellungstest – Prüfbericht', en: 'Restore drill – evidence report' },
  passed: { de: 'BESTANDEN', en: 'PASSED' },
  failed: { de: 'NICHT BESTANDEN', en: 'FAILED' },
  pass: { de: 'OK', en: 'PASS' },
  fail: { de: 'FEHLER', en: 'FAIL' },
  summary: { de: 'Zusammenfassung', en: 'Summary' },
  server: { de: 'Server', en: 'Server' },
  rto: { de: 'RTO (Start bis verifiziert)', en: 'RTO (start to verified)' },
  rpo: { de: 'RPO (Alter des neuesten Zeitpunkts)', en: 'RPO (age of newest moment)' },
  rtoNone: { de: 'nicht erreicht (nicht verifiziert)', en: 'not reached (not verified)' },
  newest: { de: 'Neuester wiederherstellbarer Zeitpunkt', en: 'Newest restorable moment' },
  started: { de: 'Beginn', en: 'Started' },
  finished: { de: 'Ende', en: 'Finished' },
  backup: { de: 'Wiederhergestellte Sicherung', en: 'Restored backup' },
  target: { de: 'Zielzeitpunkt', en: 'Target time' },
  targetLatest: { de: 'neuester Zeitpunkt', en: 'newest moment' },
  snapshot: { de: 'Dateien (restic-Snapshot)', en: 'Files (restic snapshot)' },
  noFiles: { de: 'keine angehängten Dateien', en: 'no attached files' },
  dbSize: { de: 'Datenbankgröße', en: 'Database size' },
  fileSize: { de: 'Dateigröße', en: 'Files size' },
  environment: { de: 'Testumgebung', en: 'Throwaway environment' },
  runBy: { de: 'Durchgeführt und signiert von', en: 'Run and signed by' },
  agent: { de: 'Agent auf dem Server (zeitgesteuert)', en: 'agent on the server (scheduled)' },
  app: { de: 'Kumiko-Recovery-App', en: 'Kumiko Recovery app' },
  key: { de: 'Schlüssel', en: 'Key' },
  software: { de: 'Software', en: 'Software' },
  drillId: { de: 'Test-ID', en: 'Drill ID' },
  sequence: { de: 'Bericht Nr.', en: 'Report no.' },
  previous: { de: 'Voriger Bericht (MANIFEST-Hash)', en: 'Previous report (MANIFEST hash)' },
  firstReport: { de: 'keiner (erster Bericht)', en: 'none (first report)' },
  checksOverview: { de: 'Prüfungen', en: 'Checks' },
  check: { de: 'Prüfung', en: 'Check' },
  result: { de: 'Ergebnis', en: 'Result' },
  checksDetail: { de: 'Prüfungen im Einzelnen', en: 'Checks in detail' },
  evidence: { de: 'Nachweis', en: 'Evidence' },
  noEvidence: { de: 'Keine Nachweisdatei.', en: 'No evidence file.' },
  binary: { de: 'Binärdatei', en: 'binary file' },
  more: { de: 'weitere Zeilen in', en: 'more lines in' },
  controls: { de: 'Zuordnung zu Anforderungen', en: 'Mapping to controls' },
  control: { de: 'Anforderung', en: 'Control' },
  proves: { de: 'Was dieser Test belegt', en: 'What this drill proves' },
  verify: { de: 'Prüfung dieses Berichts', en: 'Verifying this report' },
  storedDetail: {
    de: 'Wortlaut des Berichts (englisch, vor den übersetzten Befunden gespeichert):',
    en: 'As the report stored it:',
  },
  readingCopy: {
    de: 'Lesefassung auf Deutsch, erzeugt aus dem signierten report.json dieses Berichts. Signiert ist das report.pdf im Bündel; report.json und die Nachweise prüft `kumiko report verify`.',
    en: 'Reading copy in English, made from the signed report.json of this report. The signed PDF is report.pdf in the bundle; `kumiko report verify` checks report.json and the evidence.',
  },
  verifyText: {
    de: 'Dieser Bericht ist Teil eines signierten Bündels. Im Ordner des Bündels prüft der folgende Befehl die Ed25519-Signatur (SSHSIG) über MANIFEST.sha256 und danach den SHA-256-Hash jeder Datei; dafür genügen OpenSSH und GNU coreutils. Der Befehl prüft gegen Ihre eigene Datei ~/kumiko-allowed_signers, nie gegen die Schlüsseldatei im Bündel: nehmen Sie einen Schlüssel erst auf, wenn sein SHA256-Fingerabdruck dem im Notfallblatt des Servers gleicht (VERIFY.txt sagt, wie).',
    en: "This report is part of a signed bundle. In the bundle's folder, the command below checks the Ed25519 signature (SSHSIG) over MANIFEST.sha256 and then every file's SHA-256; OpenSSH and GNU coreutils are all it needs. It checks against your own file ~/kumiko-allowed_signers, never the key file shipped in the bundle: add a key to it only when its SHA256 fingerprint equals the one in the server's recovery kit (VERIFY.txt says how).",
  },
} satisfies Record<string, Bilingual>;

/** The PDF of a report: pure layout from report.json, the evidence bytes and the key fingerprint. */
export function reportPdfModel(
  report: ReportJson,
  evidence: ReadonlyMap<string, Uint8Array>,
  extras: PdfExtras,
): PdfModel {
  const lang = report.language;
  const L = (t: Bilingual) => label(t, lang);
  const drill = report.drill;
  const blocks: PdfBlock[] = [
    {
      kind: 'title',
      text: paragraphs(T.title, lang).join('\n'),
      subtitle: `${drill.server.name} · ${formatUtc(drill.startedAt)}`,
    },
    ...(extras.readingCopyOf
      ? paragraphs(T.readingCopy, lang).map((text): PdfBlock => ({
          kind: 'paragraph',
          text: `${text} MANIFEST.sha256: ${extras.readingCopyOf?.manifestSha256 ?? ''}`,
          muted: true,
        }))
      : []),
    { kind: 'verdict', passed: drill.passed, text: L(drill.passed ? T.passed : T.failed) },
    ...summaryBlocks(report, extras, lang),
    { kind: 'heading', text: L(T.checksOverview) },
    {
      kind: 'table',
      columns: [
        { title: L(T.check), width: 0.78 },
        { title: L(T.result), width: 0.22 },
      ],
      rows: drill.checks.map((c) => [L(checkHeading(c)), L(c.passed ? T.pass : T.fail)]),
      status: { column: 1, passed: drill.checks.map((c) => c.passed) },
    },
    { kind: 'pageBreak' },
    { kind: 'heading', text: L(T.checksDetail) },
    ...drill.checks.flatMap((check) => checkBlocks(check, evidence, lang)),
    { kind: 'heading', text: L(T.controls) },
    {
      kind: 'table',
      columns: [
        { title: L(T.control), width: 0.32 },
        { title: L(T.proves), width: 0.68 },
      ],
      rows: controlRows(drill).map((row) => [
        `${row.framework} ${row.control}\n${L(row.title)}`,
        paragraphs(row.proves, lang).join('\n'),
      ]),
    },
    { kind: 'heading', text: L(T.verify) },
    ...paragraphs(T.verifyText, lang).map((text, i): PdfBlock => ({
      kind: 'paragraph',
      text,
      muted: i > 0,
    })),
    {
      kind: 'code',
      caption: BUNDLE_FILES.verifyText,
      text: verifyCommand(report.signer.principal),
    },
  ];
  return {
    title: `${L(T.title)} – ${drill.server.name}`,
    subject: `${drill.drillId} ${drill.passed ? 'PASSED' : 'FAILED'}`,
    footer: `Kumiko Recovery · ${L(T.drillId)} ${drill.drillId}`,
    blocks,
  };
}

function summaryBlocks(report: ReportJson, extras: PdfExtras, lang: ReportLanguage): PdfBlock[] {
  const L = (t: Bilingual) => label(t, lang);
  const drill = report.drill;
  const r = drill.restored;
  const rows: { label: string; value: string; mono?: boolean }[] = [
    {
      label: L(T.rto),
      value: drill.rtoSeconds === null ? L(T.rtoNone) : formatSeconds(drill.rtoSeconds),
    },
    { label: L(T.rpo), value: formatSeconds(drill.rpoSeconds) },
    { label: L(T.newest), value: formatUtc(drill.newestRestorableAt) },
    { label: L(T.server), value: `${drill.server.name} (${drill.server.id})` },
    { label: L(T.started), value: formatUtc(drill.startedAt) },
    { label: L(T.finished), value: formatUtc(drill.finishedAt) },
    { label: L(T.backup), value: r.backupLabel, mono: true },
    { label: L(T.target), value: r.targetTime ? formatUtc(r.targetTime) : L(T.targetLatest) },
    {
      label: L(T.snapshot),
      value: r.resticSnapshotId ?? L(T.noFiles),
      mono: r.resticSnapshotId !== null,
    },
    { label: L(T.dbSize), value: formatBytes(r.databaseBytes) },
  ];
  if (r.attachedFilesBytes !== null)
    rows.push({ label: L(T.fileSize), value: formatBytes(r.attachedFilesBytes) });
  if (drill.environment) rows.push({ label: L(T.environment), value: drill.environment });
  const software = [
    drill.software.app ? `app ${drill.software.app}` : null,
    drill.software.agent ? `agent ${drill.software.agent}` : null,
  ].filter(Boolean);
  rows.push(
    {
      label: L(T.runBy),
      value: `${L(drill.signer === 'agent' ? T.agent : T.app)}: ${report.signer.principal}`,
    },
    { label: L(T.key), value: extras.signerFingerprint, mono: true },
    { label: L(T.software), value: `Kumiko Recovery ${software.join(', ')}` },
    { label: L(T.drillId), value: drill.drillId, mono: true },
    { label: L(T.sequence), value: String(report.chain.sequence) },
    {
      label: L(T.previous),
      value: report.chain.previous
        ? `${report.chain.previous.manifestSha256} (${report.chain.previous.drillId})`
        : L(T.firstReport),
      mono: report.chain.previous !== null,
    },
  );
  return [
    { kind: 'heading', text: L(T.summary) },
    { kind: 'fields', rows },
  ];
}

function checkBlocks(
  check: ReportJson['drill']['checks'][number],
  evidence: ReadonlyMap<string, Uint8Array>,
  lang: ReportLanguage,
): PdfBlock[] {
  const L = (t: Bilingual) => label(t, lang);
  const blocks: PdfBlock[] = [
    {
      kind: 'check',
      title: L(checkHeading(check)),
      passed: check.passed,
      status: L(check.passed ? T.pass : T.fail),
    },
  ];
  const description = checkDescription(check.id);
  if (description) {
    paragraphs(description, lang).forEach((text, i) =>
      blocks.push({ kind: 'paragraph', text, muted: i > 0 }),
    );
  }
  blocks.push(...detailBlocks(check, lang));
  if (check.evidence.length === 0)
    blocks.push({ kind: 'paragraph', text: L(T.noEvidence), muted: true });
  for (const name of check.evidence) {
    const bytes = evidence.get(name);
    blocks.push({
      kind: 'code',
      caption: `${L(T.evidence)}: ${evidencePath(name)}`,
      text: bytes ? excerpt(bytes, evidencePath(name), lang) : '',
    });
  }
  return blocks;
}

/**
 * A check's finding: worded from its `words` in the report's language(s), German first; a
 * report signed before the words existed shows its stored English detail, marked as such.
 */
function detailBlocks(
  check: ReportJson['drill']['checks'][number],
  lang: ReportLanguage,
): PdfBlock[] {
  const langs = lang === 'de+en' ? (['de', 'en'] as const) : ([lang] as const);
  const worded = langs.map((l) => wordCheckDetail(l, check.words));
  if (worded.every((text): text is string => text !== null)) {
    return worded.map((text, i) => ({ kind: 'paragraph', text, muted: i > 0 }));
  }
  if (!check.detail) return [];
  const stored = lang === 'en' ? check.detail : `${label(T.storedDetail, 'de')} ${check.detail}`;
  return [{ kind: 'paragraph', text: stored }];
}

/** The first lines of a text file, each cut to the page width; binary files are named only. */
export function excerpt(bytes: Uint8Array, path: string, lang: ReportLanguage): string {
  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch {
    return `(${label(T.binary, lang)}, ${formatBytes(bytes.length)})`;
  }
  const lines = printable(text).replace(/\n$/, '').split('\n');
  const shown = lines
    .slice(0, EXCERPT_LINES)
    .map((line) => (line.length > EXCERPT_WIDTH ? `${line.slice(0, EXCERPT_WIDTH - 1)}…` : line));
  const rest = lines.length - shown.length;
  if (rest > 0) shown.push(`… ${rest} ${label(T.more, lang)} ${path}`);
  return shown.join('\n');
}

/** Control characters would print as boxes or garble the layout: '?' for them, spaces for tabs. */
function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c === 9) out += '  ';
    else if ((c < 32 && c !== 10) || c === 127) out += '?';
    else out += ch;
  }
  return out;
}
