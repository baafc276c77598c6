import type { ReportPdf } from '../../../shared/contract/drill';

/**
 * Hands a PDF from main to the browser's (or Electron's) download: a same-origin blob URL and
 * a download link, so nothing is navigated to and no file path crosses to the page.
 */
export function downloadPdf(pdf: ReportPdf): void {
  const binary = atob(pdf.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = pdf.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; free the blob a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
