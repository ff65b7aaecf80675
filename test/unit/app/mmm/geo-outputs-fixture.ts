/** Made-up outputs of a geo-level MMM run (MmmOutputs with `geo`), for the views' and the report's tests. */
import type { Estimate, OutputsOf } from '../../../../src/api/types';
import type { MmmGeoChannel } from '../../../../src/models/mmm/geo-outputs';

const est = (mean: number): Estimate => ({ mean, sd: 0.1, hdiLow: mean - 0.2, hdiHigh: mean + 0.2 });
const band = (values: number[]) => ({ mean: values, sd: values.map(() => 0.5), hdiLow: values.map((v) => v - 1), hdiHigh: values.map((v) => v + 1) });
const channel = (spend: number) => ({ spend, contribution: est(10), contributionDraws: [10], share: est(0.5), roas: est(2), mroas: est(1) });

const geos = ['Geo2', 'Geo10', 'Geo1'];
/** Each geo's level: Geo10 is the largest, Geo1 the smallest. */
const level = [100, 300, 10];
const ROAS: Record<string, number[]> = { tv: [3, 1, 2], radio: [0.5, 4, 1.5] };
const table: MmmGeoChannel[] = geos.flatMap((geo, g) =>
  ['tv', 'radio'].map((ch) => ({ geo, channel: ch, spend: 10 * (g + 1), contribution: est(level[g] / 10), share: est(0.5), roas: est(ROAS[ch][g]), mroas: est(ROAS[ch][g] / 2) })),
);

/** A geo-level run's outputs: three geos, four periods (the last held out), two channels. */
export const geoRunOutputs = {
  dates: ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'],
  train: 3,
  periodDays: 7,
  target: 'sales',
  actual: [410, 412, 411, 413],
  fitted: band([410, 411, 411, 412]),
  predictive: band([410, 411, 411, 412]),
  metrics: { r2: est(0.9), r2Mean: 0.9, mape: est(0.05) },
  contributions: [
    { label: 'intercept', kind: 'intercept', ...band([400, 400, 400, 400]) },
    { label: 'tv', kind: 'channel', ...band([5, 6, 5, 6]) },
    { label: 'radio', kind: 'channel', ...band([5, 5, 6, 6]) },
  ],
  channels: { tv: channel(60), radio: channel(60) },
  responseCurves: { tv: { spend: [0, 60, 120], ...band([0, 10, 15]) }, radio: { spend: [0, 60, 120], ...band([0, 10, 12]) } },
  adstockCurves: { tv: { lag: [0, 1], ...band([0.6, 0.4]) }, radio: { lag: [0, 1], ...band([0.8, 0.2]) } },
  priorPosterior: {},
  targetKind: 'value',
  // Two channels' media parameters for one draw (the report's breakeven section reads them).
  optimizerDraws: {
    adstock: 'geometric',
    saturation: 'logistic',
    lMax: 2,
    channels: ['tv', 'radio'],
    xMax: [20, 20],
    yMax: 100,
    adstockParams: [[{ alpha: 0.5 }, { alpha: 0.5 }]],
    saturationParams: [[{ lam: 1, beta: 0.5 }, { lam: 1, beta: 0.5 }]],
    meanSpend: [20, 20],
    periodDays: 7,
  },
  geo: {
    geos,
    population: [1000, 3000, 100],
    actual: level.map((l) => [l, l + 2, l + 1, l + 3]),
    fitted: level.map((l) => band([l, l + 1, l + 1, l + 2])),
    r2: [est(0.8), est(0.9), est(0.7)],
    contributions: level.map((l) => ({ tv: band([l / 10, l / 10, l / 10, l / 10]), radio: band([l / 20, l / 20, l / 20, l / 20]) })),
    table,
    responseCurves: level.map((l, g) => ({
      tv: { spend: [0, 10 * (g + 1), 20 * (g + 1)], ...band([0, l / 10, l / 7]) },
      radio: { spend: [0, 10 * (g + 1), 20 * (g + 1)], ...band([0, l / 20, l / 15]) },
    })),
  },
} as unknown as OutputsOf<'mmm'>;

