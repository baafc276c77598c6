import PDFDocument from 'pdfkit';
import type { KitSection } from './kit-content';

/** Lays the kit out as an A4 PDF: headings, label/value lines, monospace for anything typed. */
export function renderKitPdf(title: string, sections: KitSection[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: title, Author: 'Kumiko Recovery' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(18).text(title);
    doc.moveDown(0.5);
    for (const section of sections) {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(section.heading);
      doc.moveDown(0.2);
      for (const line of section.lines) {
        if (line.label) doc.font('Helvetica-Bold').fontSize(9).text(line.label);
        doc
          .font(line.mono ? 'Courier' : 'Helvetica')
          .fontSize(line.mono ? 8.5 : 9.5)
          .text(line.text, { lineGap: 1 });
        doc.moveDown(0.25);
      }
    }
    doc.end();
  });
}
