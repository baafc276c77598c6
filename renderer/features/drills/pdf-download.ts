import type { ReportPdf } from '../../../shared/contract/drill';
import type { TransferFile } from '../../../shared/contract/reports';

/**
 * Hands a file from main to the browser's (or Electron's) download: a same-origin blob URL and
 * a download link, so nothing is navigated to and no file path crosses to the page.
 */
export function downloadFile(file: TransferFile, type: string): void {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; free the blob a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function downloadPdf(pdf: ReportPdf): void {
  downloadFile(pdf, 'application/pdf');
}
