/**
 * Simulated MMM data with known truth: the PyMC-Marketing example's process (from the sample
 * generator script, so the bundled CSV and the tests share one generator) and a second truth with
 * three channels and a price-like control.
 */
import { createRng, simulateMmm } from '../../../data/generate-mmm-sample.mjs';

export { simulateMmm };

/** Known truth of simulateThreeChannels, on the scaled axes the model reports. */
export interface ThreeChannelTruth {
  alpha: number[];
  /** lam on the max-scaled channel axis. */
  lamScaled: number[];
  /** Share of each channel in the total media contribution. */
  share: number[];
  /** Price effect in target units per unit of price. */
  priceEffect: number;
}

/**
 * Three channels with different carry-over and saturation (geometric adstock, l_max 8; logistic
 * saturation defined on the max-scaled spend), a price control, yearly seasonality and N(0, 40)
 * noise; 156 weeks from 2021-01-04.
 */
export function simulateThreeChannels(seed = 11): { csv: string; truth: ThreeChannelTruth } {
  const rng = createRng(seed);
  const n = 156;
  const start = Date.UTC(2021, 0, 4);
  const dates = Array.from({ length: n }, (_, i) => start + i * 7 * 86_400_000);
  const spend = [
    dates.map(() => (rng.uniform() < 0.6 ? 20 + 80 * rng.uniform() : 0)),
    dates.map(() => 30 + 40 * rng.uniform()),
    dates.map((_, i) => (i % 8 < 3 ? 50 + 50 * rng.uniform() : 5 * rng.uniform())),
  ];
  const alpha = [0.6, 0.3, 0.1];
  const lam = [2.5, 1.5, 4];
  const beta = [400, 250, 300];
  const price = dates.map(() => 10 + 2 * rng.normal());
  const xMax = spend.map((s) => Math.max(...s));
  const media = spend.map((s, c) => {
    const w = Array.from({ length: 8 }, (_, l) => alpha[c] ** l);
    const ws = w.reduce((a, b) => a + b, 0);
    return s.map((_, t) => {
      let ad = 0;
      for (let l = 0; l < 8 && l <= t; l++) ad += (w[l] / ws) * (s[t - l] / xMax[c]);
      return beta[c] * Math.tanh((lam[c] * ad) / 2);
    });
  });
  const y = dates.map((d, t) => {
    const doy = Math.floor((d - Date.UTC(new Date(d).getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    return 1500 + 100 * Math.sin((2 * Math.PI * doy) / 365.25) - 30 * price[t] + media[0][t] + media[1][t] + media[2][t] + 40 * rng.normal();
  });
  const rows = dates.map((d, t) => [new Date(d).toISOString().slice(0, 10), y[t].toFixed(3), ...spend.map((s) => s[t].toFixed(3)), price[t].toFixed(4)].join(','));
  const totals = media.map((m) => m.reduce((a, b) => a + b, 0));
  const all = totals.reduce((a, b) => a + b, 0);
  return {
    csv: `date,sales,tv,search,social,price\n${rows.join('\n')}\n`,
    truth: { alpha, lamScaled: lam, share: totals.map((v) => v / all), priceEffect: -30 },
  };
}
