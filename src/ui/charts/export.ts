/** Saving charts and tables: SVG as is, PNG through a canvas, CSV from columns. All local (blob URLs). */

const TITLE_BAND = 24;

/**
 * Serialises an SVG element to a standalone SVG document string. A chart's title (its root
 * `<title>`, which a page shows in the figure's caption) is drawn as a heading above the chart, so
 * an exported SVG or PNG says what it shows on its own.
 */
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const title = [...clone.children].find((c) => c.tagName.toLowerCase() === 'title')?.textContent?.trim();
  const box = clone.getAttribute('viewBox')?.split(/[\s,]+/).map(Number);
  if (title && box?.length === 4 && box.every(Number.isFinite)) {
    const ns = 'http://www.w3.org/2000/svg';
    const body = document.createElementNS(ns, 'g');
    body.setAttribute('transform', `translate(0,${TITLE_BAND})`);
    for (const child of [...clone.childNodes]) if ((child as Element).tagName?.toLowerCase() !== 'title') body.append(child);
    const heading = document.createElementNS(ns, 'text');
    heading.setAttribute('class', 'chart-title');
    heading.setAttribute('x', String(box[0] + 4));
    heading.setAttribute('y', String(box[1] + 16));
    heading.setAttribute('font-size', '13');
    heading.setAttribute('font-weight', '600');
    heading.textContent = title;
    clone.append(heading, body);
    const height = box[3] + TITLE_BAND;
    clone.setAttribute('viewBox', `${box[0]} ${box[1]} ${box[2]} ${height}`);
    clone.setAttribute('height', String(height));
  }
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
    // The serialised chart can be taller than the page's (its title on top): its own size.
    canvas.width = (img.naturalWidth || svg.viewBox.baseVal.width) * scale;
    canvas.height = (img.naturalHeight || svg.viewBox.baseVal.height + TITLE_BAND) * scale;
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

/** A cell a spreadsheet would read as a formula: it starts with =, +, -, @, tab or carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number (as a string): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One CSV field, safe to open in a spreadsheet. Text that a spreadsheet would run as a formula
 * (`=HYPERLINK(...)`, `+SUM(1,2)`, `-2+3`, `@cmd|...`) gets a leading `'` (OWASP's CSV-injection
 * rule), so it shows as the text it is; numbers, and text that is a plain number such as "-2.5",
 * stay numbers. Then quoted when it holds a delimiter, quote or newline. Non-finite numbers are blank.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  let s = String(value);
  if (typeof value !== 'number' && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Builds CSV text from a header and rows; every CSV the studio writes goes through here. */
export function toCsv(header: readonly unknown[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Downloads the rows as a CSV file (see `toCsv`: formula-like text is neutralised). */
export function downloadCsv(header: readonly unknown[], rows: readonly (readonly unknown[])[], filename: string): void {
  applyDownload(new Blob([toCsv(header, rows)], { type: 'text/csv' }), filename);
}
