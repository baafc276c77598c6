import { describe, expect, it } from 'vitest';
import { renderReportPdf, winAnsi } from '../../node/report/report-pdf';
import { generateEd25519KeyPair } from '../../node/signing';
import { buildReport } from '../../shared/report/bundle-plan';
import { controlRows } from '../../shared/report/controls';
import { formatBytes, formatSeconds } from '../../shared/report/i18n';
import { excerpt, reportPdfModel, type PdfBlock } from '../../shared/report/pdf-model';
import type { ReportLanguage } from '../../shared/report/report-json';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { sampleDrill, sampleEvidence } from './report-fixtures';

// The PDF's content model (pure) and the renderer's determinism. The text as a reader sees it
// is checked with pdftotext in test/integration/report-bundle.test.ts.

const pub = openSshPublicKeyLine(generateEd25519KeyPair().publicKey);

function model(language: ReportLanguage, drill = sampleDrill()) {
  const evidence = new Map(
    Object.entries(sampleEvidence()).map(([k, v]) => [k, new Uint8Array(Buffer.from(v))]),
  );
  const { report } = buildReport({
    result: drill,
    evidence,
    previous: null,
    signer: { kind: 'agent', principal: 'kumiko-agent@x', publicKey: pub },
    language,
  });
  return reportPdfModel(report, evidence, { signerFingerprint: 'SHA256:abc' });
}

const texts = (blocks: PdfBlock[]) => JSON.stringify(blocks);

describe('report PDF model', () => {
  it('puts the verdict, RTO and RPO first, then every check, then the control mapping', () => {
    const m = model('de+en');
    expect(m.blocks.slice(0, 2).map((b) => b.kind)).toEqual(['title', 'verdict']);
    expect(m.blocks[1]).toEqual({ kind: 'verdict', passed: true, text: 'BESTANDEN / PASSED' });
    const summary = m.blocks.find((b) => b.kind === 'fields');
    expect(summary && summary.kind === 'fields' && summary.rows.slice(0, 2)).toEqual([
      {
        label: 'RTO (Start bis verifiziert) / RTO (start to verified)',
        value: '252 s (4 min 12 s)',
      },
      { label: 'RPO (Alter des neuesten Zeitpunkts) / RPO (age of newest moment)', value: '47 s' },
    ]);
    const checks = m.blocks
      .filter((b) => b.kind === 'check')
      .map((b) => b.kind === 'check' && b.title);
    // German heading first, then the report's own (signed) English title.
    expect(checks[0]).toBe(
      `Wiederhergestellter Cluster startet und nimmt Verbindungen an / ${sampleDrill().checks[0]?.title}`,
    );
    expect(checks.map((t) => (t || '').split(' / ').pop())).toEqual(
      sampleDrill().checks.map((c) => c.title),
    );
    const all = texts(m.blocks);
    for (const control of ['A.8.13', 'A1.2', 'A1.3', 'CON.3.A15', 'CON.3.A5'])
      expect(all).toContain(control);
    expect(all).toContain(
      'ssh-keygen -Y verify -f ~/kumiko-allowed_signers -I kumiko-agent@x -n kumiko-report',
    );
    // The key to trust comes from the recovery kit, never from the bundle itself.
    expect(all).toContain('never the key file shipped in the bundle: add a key to it only when');
    expect(all).toContain('im Notfallblatt des Servers gleicht');
  });

  it('speaks one language when asked', () => {
    const de = texts(model('de').blocks);
    const en = texts(model('en').blocks);
    expect(de).toContain('BESTANDEN');
    expect(de).not.toContain('PASSED');
    expect(en).toContain('Mapping to controls');
    expect(en).not.toContain('Zuordnung');
  });

  it('words check details from their codes in the chosen language, the stored text when none', () => {
    const drill = sampleDrill();
    drill.checks[0] = {
      ...drill.checks[0]!,
      detail: 'PostgreSQL 15.8 accepts connections on port 55432; archive_mode off',
      words: [
        { key: 'clusterStarts.accepts', params: { version: '15.8', port: '55432' } },
        { key: 'clusterStarts.archiveMode', params: { mode: 'off' } },
      ],
    };
    const de = texts(model('de', drill).blocks);
    expect(de).toContain(
      'PostgreSQL 15.8 nimmt Verbindungen auf Port 55432 an. archive_mode ist off.',
    );
    expect(de).not.toContain('accepts connections on port');
    const en = texts(model('en', drill).blocks);
    expect(en).toContain('PostgreSQL 15.8 accepts connections on port 55432. archive_mode is off.');
    expect(en).not.toContain('nimmt Verbindungen');
    const both = texts(model('de+en', drill).blocks);
    expect(both.indexOf('nimmt Verbindungen auf Port')).toBeLessThan(
      both.indexOf('accepts connections on port 55432.'),
    );
    // A report signed before the words: its stored English, marked as such in German.
    expect(de).toContain(
      `Wortlaut des Berichts (englisch, vor den übersetzten Befunden gespeichert): ${drill.checks[1]?.detail}`,
    );
    // A newer agent's unknown code: the stored detail, never a raw code.
    drill.checks[0] = { ...drill.checks[0]!, words: [{ key: 'cluster.newerCode' }] };
    expect(texts(model('de', drill).blocks)).toContain(drill.checks[0].detail);
  });

  it('says on a reading copy that it was made from the signed report.json', () => {
    const evidence = new Map<string, Uint8Array>();
    const { report } = buildReport({
      result: sampleDrill(),
      evidence: new Map(
        Object.entries(sampleEvidence()).map(([k, v]) => [k, new Uint8Array(Buffer.from(v))]),
      ),
      previous: null,
      signer: { kind: 'agent', principal: 'kumiko-agent@x', publicKey: pub },
      language: 'de',
    });
    const m = reportPdfModel(report, evidence, {
      signerFingerprint: 'SHA256:abc',
      readingCopyOf: { manifestSha256: 'a'.repeat(64) },
    });
    expect(texts(m.blocks)).toContain(`Lesefassung auf Deutsch`);
    expect(texts(m.blocks)).toContain(`MANIFEST.sha256: ${'a'.repeat(64)}`);
  });

  it('shows a failed drill as failed, with the failing check and no RTO', () => {
    const drill = sampleDrill('drill-x', { passed: false, rtoSeconds: null });
    drill.checks[1] = {
      ...drill.checks[1]!,
      passed: false,
      detail: 'index public.idx_3 is corrupt',
    };
    const m = model('en', drill);
    expect(m.blocks[1]).toEqual({ kind: 'verdict', passed: false, text: 'FAILED' });
    expect(texts(m.blocks)).toContain('not reached (not verified)');
    expect(texts(m.blocks)).toContain('index public.idx_3 is corrupt');
    expect(controlRows(drill)[0]?.proves.en).toMatch(/not verified.*failed/);
  });

  it('cuts evidence excerpts and names binary files', () => {
    const long = Buffer.from(
      Array.from({ length: 30 }, (_, i) => `line ${i} ${'x'.repeat(200)}`).join('\n'),
    );
    const text = excerpt(long, 'evidence/long.log', 'en');
    const lines = text.split('\n');
    expect(lines).toHaveLength(25);
    expect(lines[0]?.length).toBe(110);
    expect(lines[24]).toBe('… 6 more lines in evidence/long.log');
    expect(excerpt(Uint8Array.of(0xff, 0xfe, 0), 'x', 'de')).toBe('(Binärdatei, 3 bytes)');
    expect(excerpt(Buffer.from('a\tb\u0007c'), 'x', 'en')).toBe('a  b?c');
  });

  it('formats figures and reduces text to what the standard fonts draw', () => {
    expect(formatSeconds(47)).toBe('47 s');
    expect(formatSeconds(3725)).toBe('3725 s (1 h 2 min)');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1_610_612_736)).toBe('1.50 GiB (1610612736 bytes)');
    expect(winAnsi('Grüße – „ok“ → 日本 €')).toBe('Grüße – „ok“ ? ?? €');
  });

  it('renders the same bytes for the same model and date', async () => {
    const m = model('de+en');
    const at = new Date('2025-03-31T02:34:31Z');
    const [a, b] = await Promise.all([renderReportPdf(m, at), renderReportPdf(m, at)]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const later = await renderReportPdf(m, new Date('2025-04-01T00:00:00Z'));
    expect(later.equals(a)).toBe(false);
  });
});
