/** Saving charts and tables: SVG as is, PNG through a canvas, CSV from columns. All local (blob URLs). */

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Line height and approximate character width of an exported chart's title (12 px, bold). */
const TITLE_LINE = 16;
const TITLE_CHAR = 7;

/** `text` broken into lines of at most `width` px (at TITLE_CHAR per character), at spaces. */
function wrap(text: string, width: number): string[] {
  const max = Math.max(10, Math.floor(width / TITLE_CHAR));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A standalone copy of a chart for export, with its title (the plot's `<title>`) written above it
 * as visible text, so a PNG or SVG pasted into a slide still says what it shows; the canvas grows
 * by the title's lines; the page's hover overlay is left out. Returns the markup and its size.
 */
export function exportedSvg(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  // The hover rule and tooltip (hover.ts) belong to the page, not to the exported picture.
  clone.querySelectorAll('.hover').forEach((el) => el.remove());
  const box = (clone.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  let [width, height] = box.length === 4 && box.every(Number.isFinite) ? [box[2], box[3]] : [Number(clone.getAttribute('width')) || 720, Number(clone.getAttribute('height')) || 320];
  const title = clone.querySelector(':scope > title')?.textContent?.trim();
  if (title) {
    const lines = wrap(title, width - 16);
    const top = lines.length * TITLE_LINE + 8;
    const body = clone.ownerDocument.createElementNS(SVG_NS, 'g');
    body.setAttribute('transform', `translate(0,${top})`);
    for (const child of [...clone.childNodes]) if (!(child instanceof Element && child.tagName.toLowerCase() === 'title')) body.append(child);
    const caption = clone.ownerDocument.createElementNS(SVG_NS, 'text');
    caption.setAttribute('class', 'export-title');
    caption.setAttribute('font-size', '12');
    caption.setAttribute('font-weight', '600');
    lines.forEach((l, i) => {
      const span = clone.ownerDocument.createElementNS(SVG_NS, 'tspan');
      span.setAttribute('x', '8');
      span.setAttribute('y', String(TITLE_LINE * (i + 1)));
      span.textContent = l;
      caption.append(span);
    });
    clone.append(caption, body);
    height += top;
    clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
    clone.setAttribute('height', String(height));
  }
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

/** Serialises an SVG element to a standalone SVG document string (with its title visible, see `exportedSvg`). */
export function serializeSvg(svg: SVGSVGElement): string {
  return exportedSvg(svg).text;
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
  const exported = exportedSvg(svg);
  const url = URL.createObjectURL(new Blob([exported.text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The chart could not be rendered to PNG.'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = exported.width * scale;
    canvas.height = exported.height * scale;
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
