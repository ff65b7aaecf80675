// @vitest-environment happy-dom
/** A geo-level MMM run's report: its "By geo" section (ROAS by geo and channel, heat map, the largest geos' fit); none for national runs. */
import { describe, expect, it } from 'vitest';
import type { OutputsOf, RunResult } from '../../../../src/api/types';
import { mmmReport } from '../../../../src/app/report/report-mmm';
import { geoRunOutputs } from './geo-outputs-fixture';

const run = (outputs: OutputsOf<'mmm'>) => ({ outputs }) as RunResult<'mmm'>;

describe('MMM report by geo', () => {
  it('has a geo section with the geo x channel ROAS table, the heat map and the largest geos’ fit', () => {
    const sections = mmmReport(run(geoRunOutputs)).sections;
    expect(sections.map((s) => s.id)).toEqual(['mmm-fit', 'mmm-contributions', 'mmm-roas', 'mmm-response', 'mmm-geo', 'mmm-breakeven']);
    const html = sections[4].html;
    expect(html).toContain('fitted on 3 geos');
    expect(html).toContain('<th>Geo</th><th class="num">Population</th><th class="num">ROAS of tv</th><th class="num">ROAS of radio</th>');
    // Geo10: population 3,000, ROAS tv 1 and radio 4 with their HDIs.
    expect(html).toMatch(/<tr><td>Geo10<\/td><td class="num">3,000<\/td><td class="num">1 \[0\.8, 1\.2\]<\/td><td class="num">4 \[3\.8, 4\.2\]<\/td><\/tr>/);
    expect(html.match(/<rect class="cell"/g)).toHaveLength(6);
    // The three geos' fits, the largest (Geo10) first: three small charts after the heat map.
    const multiples = html.slice(html.indexOf('<div class="multiples">'));
    expect(multiples.match(/<svg/g)).toHaveLength(3);
    expect(multiples.indexOf('Geo10: R²')).toBeLessThan(multiples.indexOf('Geo2: R²'));
  });

  it('says ROAS counts revenue when the data gives a revenue per unit of target', () => {
    expect(mmmReport(run(geoRunOutputs)).sections[4].html).toContain('ROAS below: sales per unit spent');
    const report = mmmReport(run({ ...geoRunOutputs, revenuePerKpi: 'revenue_per_conversion' }));
    expect(report.sections[4].html).toContain('ROAS below: revenue (sales x revenue_per_conversion) per unit spent');
    expect(report.headline[0].label).toBe('ROAS of tv (revenue (sales x revenue_per_conversion) per unit spend)');
  });

  it('has none for a national run', () => {
    const { geo: _geo, ...national } = geoRunOutputs;
    expect(mmmReport(run(national as OutputsOf<'mmm'>)).sections.map((s) => s.id)).not.toContain('mmm-geo');
  });
});
