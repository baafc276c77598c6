import PDFDocument from 'pdfkit';
import type { PdfBlock, PdfModel } from '../../shared/report/pdf-model';

// Draws the report's PDF model (shared/report/pdf-model.ts) with pdfkit. Layout decisions live
// in the model; this file only measures, breaks pages and paints. Output is deterministic for a
// given model and date: pdfkit derives the file ID from the info dictionary, so CreationDate is
// the drill's time, never "now", and the same drill always hashes the same.

type Doc = PDFKit.PDFDocument;

const MARGIN = 50;
const GREEN = '#1a7f37';
const RED = '#b42318';
const GREY = '#5f6b7a';
const RULE = '#d0d7de';
const SHADE = '#f3f4f6';

/** Renders `model` to PDF bytes; `createdAt` becomes the PDF's CreationDate and ModDate. */
export function renderReportPdf(model: PdfModel, createdAt: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: {
        Title: winAnsi(model.title),
        Subject: winAnsi(model.subject),
        Author: 'Kumiko Recovery',
        Creator: 'Kumiko Recovery',
        Producer: 'Kumiko Recovery (pdfkit)',
        CreationDate: createdAt,
        ModDate: createdAt,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (const block of model.blocks) drawBlock(doc, block);
    drawFooters(doc, winAnsi(model.footer));
    doc.end();
  });
}

function drawBlock(doc: Doc, block: PdfBlock): void {
  switch (block.kind) {
    case 'title':
      doc.font('Helvetica-Bold').fontSize(17).fillColor('black').text(winAnsi(block.text));
      doc.font('Helvetica').fontSize(11).fillColor(GREY).text(winAnsi(block.subtitle));
      doc.moveDown(0.8);
      return;
    case 'verdict':
      return drawVerdict(doc, block.passed, winAnsi(block.text));
    case 'heading':
      ensureSpace(doc, 60);
      doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('black');
      doc.text(winAnsi(block.text), MARGIN);
      doc.moveDown(0.3);
      return;
    case 'check':
      return drawCheckHeading(doc, winAnsi(block.title), block.passed, winAnsi(block.status));
    case 'fields':
      return drawFields(doc, block.rows);
    case 'paragraph':
      doc
        .font('Helvetica')
        .fontSize(9.5)
        .fillColor(block.muted ? GREY : 'black');
      doc.text(winAnsi(block.text), MARGIN, doc.y, { width: contentWidth(doc), lineGap: 1 });
      doc.moveDown(0.3);
      return;
    case 'code':
      return drawCode(doc, winAnsi(block.caption), winAnsi(block.text));
    case 'table':
      return drawTable(doc, block);
    case 'pageBreak':
      doc.addPage();
      return;
  }
}

function drawVerdict(doc: Doc, passed: boolean, text: string): void {
  const y = doc.y;
  const height = 54;
  doc.roundedRect(MARGIN, y, contentWidth(doc), height, 6).fill(passed ? GREEN : RED);
  doc.font('Helvetica-Bold').fontSize(26).fillColor('white');
  doc.text(text, MARGIN, y + 14, { width: contentWidth(doc), align: 'center' });
  doc.fillColor('black');
  doc.y = y + height + 8;
}

function drawCheckHeading(doc: Doc, title: string, passed: boolean, status: string): void {
  ensureSpace(doc, 80);
  doc.moveDown(0.6);
  const y = doc.y;
  const badgeWidth = 90;
  doc.font('Helvetica-Bold').fontSize(11).fillColor('black');
  doc.text(title, MARGIN, y, { width: contentWidth(doc) - badgeWidth - 10 });
  const after = doc.y;
  doc
    .roundedRect(MARGIN + contentWidth(doc) - badgeWidth, y - 2, badgeWidth, 16, 3)
    .fill(passed ? GREEN : RED);
  doc.font('Helvetica-Bold').fontSize(9).fillColor('white');
  doc.text(status, MARGIN + contentWidth(doc) - badgeWidth, y + 2, {
    width: badgeWidth,
    align: 'center',
  });
  doc.fillColor('black');
  doc.y = Math.max(after, y + 16) + 2;
}

function drawFields(doc: Doc, rows: { label: string; value: string; mono?: boolean }[]): void {
  const labelWidth = 170;
  const valueWidth = contentWidth(doc) - labelWidth - 10;
  for (const row of rows) {
    const labelText = winAnsi(row.label);
    const value = winAnsi(row.value);
    doc.font('Helvetica-Bold').fontSize(9);
    const lh = doc.heightOfString(labelText, { width: labelWidth });
    doc.font(row.mono ? 'Courier' : 'Helvetica').fontSize(row.mono ? 8 : 9.5);
    const vh = doc.heightOfString(value, { width: valueWidth });
    ensureSpace(doc, Math.max(lh, vh) + 4);
    const y = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .fillColor(GREY)
      .text(labelText, MARGIN, y, { width: labelWidth });
    doc
      .font(row.mono ? 'Courier' : 'Helvetica')
      .fontSize(row.mono ? 8 : 9.5)
      .fillColor('black');
    doc.text(value, MARGIN + labelWidth + 10, y, { width: valueWidth });
    doc.y = y + Math.max(lh, vh) + 4;
  }
}

function drawCode(doc: Doc, caption: string, text: string): void {
  ensureSpace(doc, 40);
  doc
    .font('Helvetica-Bold')
    .fontSize(8.5)
    .fillColor(GREY)
    .text(caption, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.15);
  if (text === '') return;
  doc.font('Courier').fontSize(7).fillColor('black');
  const lineHeight = doc.currentLineHeight(true) + 1;
  // Courier is 0.6 em wide: wrap what would run past the box instead of cutting it off.
  const perLine = Math.floor((contentWidth(doc) - 10) / (7 * 0.6));
  const lines = text.split('\n').flatMap((line) => wrapMono(line, perLine));
  // Paint the shaded box page by page: a long excerpt continues on the next page.
  while (lines.length) {
    const room = Math.floor((bottom(doc) - doc.y - 8) / lineHeight);
    if (room < 2) {
      doc.addPage();
      continue;
    }
    const chunk = lines.splice(0, room);
    const y = doc.y;
    const height = chunk.length * lineHeight + 8;
    doc.rect(MARGIN, y, contentWidth(doc), height).fill(SHADE);
    doc.font('Courier').fontSize(7).fillColor('black');
    chunk.forEach((line, i) => {
      doc.text(line, MARGIN + 5, y + 4 + i * lineHeight, { lineBreak: false });
    });
    doc.x = MARGIN;
    doc.y = y + height + 4;
  }
}

function drawTable(doc: Doc, block: Extract<PdfBlock, { kind: 'table' }>): void {
  const width = contentWidth(doc);
  const widths = block.columns.map((c) => c.width * width);
  const pad = 4;
  const rowHeight = (cells: string[], bold: boolean) =>
    Math.max(
      ...cells.map((cell, i) => {
        doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
        return doc.heightOfString(winAnsi(cell), { width: (widths[i] as number) - 2 * pad });
      }),
    ) +
    2 * pad;
  const drawRow = (cells: string[], header: boolean, statusPassed?: boolean) => {
    const h = rowHeight(cells, header);
    if (doc.y + h > bottom(doc)) doc.addPage();
    const y = doc.y;
    if (header) doc.rect(MARGIN, y, width, h).fill(SHADE);
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const isStatus = !header && block.status?.column === i && statusPassed !== undefined;
      doc.font(header || isStatus ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      doc.fillColor(isStatus ? (statusPassed ? GREEN : RED) : 'black');
      doc.text(winAnsi(cell), x + pad, y + pad, { width: (widths[i] as number) - 2 * pad });
      x += widths[i] as number;
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + width, y + h)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.fillColor('black');
    doc.x = MARGIN;
    doc.y = y + h;
  };
  drawRow(
    block.columns.map((c) => c.title),
    true,
  );
  block.rows.forEach((row, r) => drawRow(row, false, block.status?.passed[r]));
  doc.moveDown(0.5);
}

/** Page footers, drawn last over the buffered pages: "<footer> · <page>/<pages>". */
function drawFooters(doc: Doc, footer: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(7.5).fillColor(GREY);
    doc.text(`${footer} · ${i + 1}/${range.count}`, MARGIN, doc.page.height - 30, {
      width: contentWidth(doc),
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = margin;
  }
}

/** Splits a line into pieces of at most `width` characters, at a space where there is one. */
function wrapMono(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 2 ? space : width;
    out.push(rest.slice(0, cut));
    rest = `  ${rest.slice(cut).trimStart()}`;
  }
  out.push(rest);
  return out;
}

function ensureSpace(doc: Doc, points: number): void {
  if (doc.y + points > bottom(doc)) doc.addPage();
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - 2 * MARGIN;
}

// The standard PDF fonts speak WinAnsi: Latin-1 plus these. Anything else (arrows, CJK, emoji
// in a log line) would print as garbage, so it becomes '?'.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** `text` reduced to what the standard fonts can draw. */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    const ok = c === 10 || (c >= 32 && c < 127) || (c >= 160 && c <= 255) || WIN_ANSI_EXTRA.has(ch);
    out += ok ? ch : '?';
  }
  return out;
}
