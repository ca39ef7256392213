// A file main produced: exports of history and contacts, proofs, rows to fix.
export type DownloadFile = { fileName: string; content: string; mimeType?: string; encoding?: 'utf8' | 'base64' };

// Saves a file that main produced: the bytes become a Blob and a temporary link
// downloads it (no Node in the renderer). An anchor download of a blob: URL is a
// navigation, not a fetch, so the CSP's connect-src does not apply.
export function downloadExport(file: DownloadFile): void {
  const body =
    file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(file.content);
  const url = URL.createObjectURL(new Blob([body], { type: file.mimeType ?? 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
