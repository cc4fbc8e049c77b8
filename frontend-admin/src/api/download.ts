/**
 * Offers text the API answered (a CSV export, a roster) as a file download: a Blob URL clicked through a
 * temporary link, revoked once the browser has had time to start. Reading an answer as text drops the
 * server's UTF-8 byte-order mark; a CSV gets it back so spreadsheet programs read Korean as UTF-8.
 */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const bom = type.startsWith('text/csv') && !text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const url = URL.createObjectURL(new Blob([bom, text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
