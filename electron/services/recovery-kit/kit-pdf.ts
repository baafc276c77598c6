import PDFDocument from 'pdfkit';
import type { KitSection } from './kit-content';

/** A file embedded in the PDF (the kit's plain-text copy). */
export interface KitAttachment {
  name: string;
  content: string;
  description: string;
}

const MARGIN = 50;
const PROSE = { font: 'Helvetica', size: 9.5 };
const LABEL = { font: 'Helvetica-Bold', size: 9 };
const HEADING = { font: 'Helvetica-Bold', size: 12 };
const MONO = { font: 'Courier', size: 8.5 };
/**
 * The smallest monospace size a line is shrunk to. At 5 pt an A4 line holds 165 Courier
 * characters, more than the longest value a kit prints (an AWS endpoint, a 63-character bucket
 * and a server id in the restic repository URL, on a line of its own).
 */
const MONO_MIN = 5;

/**
 * Lays the kit out as an A4 PDF: headings, label/value lines, monospace for anything typed,
 * with the plain-text copy embedded as a file attachment.
 *
 * pdfkit's own wrapping breaks where the Unicode line-breaking rules allow, which includes
 * after '/' and '-' inside a URL, a path or a base64url key: a value broken like that no longer
 * works when typed. So every line is placed here with wrapping off: prose wraps at spaces only,
 * and a monospace line is never broken (a line too wide for the page is set in a smaller size).
 */
export function renderKitPdf(
  title: string,
  sections: KitSection[],
  attachment?: KitAttachment,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      info: { Title: title, Author: 'Kumiko Recovery' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const width = doc.page.width - 2 * MARGIN;
    let y = MARGIN;

    /** One line of text at `y`, on a new page when it would not fit above the bottom margin. */
    function put(text: string, style: { font: string; size: number }, gapAfter = 1): void {
      doc.font(style.font).fontSize(style.size);
      const height = doc.currentLineHeight(true);
      if (y + height > doc.page.height - MARGIN) {
        doc.addPage();
        y = MARGIN;
      }
      if (text) doc.text(text, MARGIN, y, { lineBreak: false });
      y += height + gapAfter;
    }

    /** Wraps at spaces only: a word (a path, a key) is never split. */
    function prose(text: string, style: { font: string; size: number }): void {
      doc.font(style.font).fontSize(style.size);
      for (const paragraph of text.split('\n')) {
        let line = '';
        for (const word of paragraph.split(' ').filter(Boolean)) {
          const next = line ? `${line} ${word}` : word;
          if (line && doc.widthOfString(next) > width) {
            put(line, style);
            line = word;
          } else {
            line = next;
          }
        }
        put(line, style);
      }
    }

    function mono(text: string): void {
      for (const line of text.split('\n')) {
        doc.font(MONO.font).fontSize(MONO.size);
        const natural = doc.widthOfString(line);
        // Courier's width grows linearly with its size.
        const size =
          natural > width
            ? Math.max(MONO_MIN, Math.floor((MONO.size * width * 10) / natural) / 10)
            : MONO.size;
        put(line, { font: MONO.font, size });
      }
    }

    prose(title, { font: 'Helvetica-Bold', size: 18 });
    y += 6;
    for (const section of sections) {
      y += 8;
      prose(section.heading, HEADING);
      y += 2;
      for (const line of section.lines) {
        if (line.label) prose(line.label, LABEL);
        if (line.mono) mono(line.text);
        else prose(line.text, PROSE);
        y += 3;
      }
    }
    if (attachment) {
      doc.file(Buffer.from(attachment.content, 'utf8'), {
        name: attachment.name,
        type: 'text/plain',
        description: attachment.description,
      });
    }
    doc.end();
  });
}
