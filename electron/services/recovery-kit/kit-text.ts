import type { KitSection } from './kit-content';

/**
 * The kit as plain text, the same sections as the PDF: every value on a line of its own and
 * every monospace block verbatim, so commands and keys can be copied exactly (no wrapping, no
 * indentation that would end up inside a heredoc).
 */
export function renderKitText(title: string, sections: KitSection[]): string {
  const out: string[] = [title, '='.repeat(title.length), ''];
  for (const section of sections) {
    out.push(section.heading, '-'.repeat(section.heading.length), '');
    for (const line of section.lines) {
      if (line.label) out.push(`${line.label}:`);
      out.push(line.text, '');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
