/**
 * The per-geo response model (response.ts `GeoResponse`): a geo's contribution is its own scales and
 * effect multiplier on the shared adstock and saturation, written out here from the documented
 * formula; a national spend series is split over the geos by their historical spend shares; and the
 * scenario forecast runs on a geo model.
 */
import { describe, expect, it } from 'vitest';
import { channelContribution, geoChannelContribution, geoSpendShares, type ResponseModel } from '../../../../src/models/mmm/response';
import { scenarioForecast } from '../../../../src/models/mmm/scenario';

/** Two geos, two channels, two draws; geometric adstock (lMax 3) and logistic saturation. */
const MODEL: ResponseModel = {
  adstock: 'geometric',
  saturation: 'logistic',
  lMax: 3,
  channels: ['tv', 'web'],
  xMax: [300, 60],
  yMax: 3000,
  adstockParams: [
    [{ alpha: 0.5 }, { alpha: 0.2 }],
    [{ alpha: 0.6 }, { alpha: 0.1 }],
  ],
  saturationParams: [
    [{ lam: 2, beta: 0.3 }, { lam: 3, beta: 0.2 }],
    [{ lam: 2.5, beta: 0.25 }, { lam: 4, beta: 0.15 }],
  ],
  meanSpend: [40, 9],
  periodDays: 7,
  geo: {
    geos: ['north', 'south'],
    xMax: [
      [100, 20],
      [200, 40],
    ],
    yMax: [1000, 2000],
    multiplier: [
      [
        [1.2, 0.8],
        [0.9, 1.1],
      ],
      [
        [1.1, 1],
        [1, 0.7],
      ],
    ],
    meanSpend: [
      [10, 3],
      [30, 6],
    ],
  },
};

/** yMax_g m_dgc beta tanh(lam a / 2), a the normalised geometric adstock of spend / xMax_gc. */
function byHand(d: number, c: number, g: number, spend: number[]): number[] {
  const geo = MODEL.geo as NonNullable<ResponseModel['geo']>;
  const { alpha } = MODEL.adstockParams[d][c];
  const { lam, beta } = MODEL.saturationParams[d][c];
  const w = [1, alpha, alpha ** 2].map((v) => v / (1 + alpha + alpha ** 2));
  return spend.map((_, t) => {
    let a = 0;
    for (let l = 0; l < 3 && l <= t; l++) a += w[l] * (spend[t - l] / geo.xMax[g][c]);
    return geo.yMax[g] * geo.multiplier[d][g][c] * beta * Math.tanh((lam * a) / 2);
  });
}

describe('geo response model', () => {
  it('evaluates a geo and channel from its own scales and multiplier', () => {
    const spend = [50, 0, 120, 80, 10];
    for (const d of [0, 1]) for (const c of [0, 1]) for (const g of [0, 1]) {
      const got = geoChannelContribution(MODEL, d, c, g, spend);
      byHand(d, c, g, spend).forEach((v, t) => expect(got[t]).toBeCloseTo(v, 9));
    }
  });

  it('splits a national spend series over the geos by historical spend share', () => {
    expect(geoSpendShares(MODEL, 0)).toEqual([0.25, 0.75]);
    const spend = [100, 40, 0, 60];
    const got = channelContribution(MODEL, 1, 0, spend);
    const north = byHand(1, 0, 0, spend.map((v) => v * 0.25));
    const south = byHand(1, 0, 1, spend.map((v) => v * 0.75));
    got.forEach((v, t) => expect(v).toBeCloseTo(north[t] + south[t], 9));
  });

  it('the scenario forecast of the historical mean spend equals the current plan on a geo model', () => {
    const f = scenarioForecast(MODEL, [Array(6).fill(40), Array(6).fill(9)]);
    expect(f.vsCurrent.mean).toBeCloseTo(0, 9);
    expect(f.total.mean).toBeGreaterThan(0);
  });
});
