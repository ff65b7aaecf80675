/** Saving charts and tables: SVG as is, PNG through a canvas, CSV from columns. All local (blob URLs). */

/** Serialises an SVG element to a standalone SVG document string. */
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(clone);
}

/** Starts a download of `blob` as `filename` (applies to the DOM: a temporary link). */
export function applyDownload(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  applyDownload(new Blob([serializeSvg(svg)], { type: 'image/svg+xml' }), filename);
}

/** Renders the SVG on a canvas at `scale`x and downloads it as PNG. */
export async function downloadPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const url = URL.createObjectURL(new Blob([serializeSvg(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The chart could not be rendered to PNG.'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = svg.viewBox.baseVal.width * scale;
    canvas.height = svg.viewBox.baseVal.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw on a canvas.');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The chart could not be encoded as PNG.');
    applyDownload(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Quotes a CSV field when it holds a delimiter, quote or newline. */
function csvField(value: unknown): string {
  const s = value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value)) ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Builds CSV text from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

export function downloadCsv(header: readonly string[], rows: readonly (readonly unknown[])[], filename: string): void {
  applyDownload(new Blob([toCsv(header, rows)], { type: 'text/csv' }), filename);
}
