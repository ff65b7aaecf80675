/**
 * A chart of a report as an SVG string: the same plot code the pages draw with (renderPlot), into
 * a detached <svg> element, serialised. Needs a DOM (the main thread, or happy-dom in tests).
 */
import { renderPlot, type PlotOptions } from '../../ui/charts/plot';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** `options` drawn as a standalone `<svg>` element's markup, sized by its viewBox. */
export function plotSvg(options: PlotOptions): string {
  const svg = document.createElementNS(SVG_NS, 'svg');
  renderPlot(svg, options);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', options.title ?? 'chart');
  return new XMLSerializer().serializeToString(svg);
}
