/** The colour theme: one colour per name across the charts of a run. */
import { describe, expect, it } from 'vitest';
import { colorsByName, NEUTRAL, PALETTE, seriesColor } from '../../../src/ui/theme';

describe('theme', () => {
  it('gives each name the palette colour of its first place in the list, whatever else a chart draws', () => {
    const channels = ['tv', 'radio', 'search'];
    const color = colorsByName([...channels, 'intercept', 'tv', 'seasonality']);
    // A chart of the channels alone and one of every contribution agree on each channel.
    expect(channels.map(color)).toEqual([PALETTE[0], PALETTE[1], PALETTE[2]]);
    expect(color('intercept')).toBe(PALETTE[3]);
    expect(color('seasonality')).toBe(PALETTE[4]);
    expect(color('not drawn before')).toBe(NEUTRAL);
  });

  it('repeats the palette after its ten colours', () => {
    expect(seriesColor(0)).toBe(PALETTE[0]);
    expect(seriesColor(12)).toBe(PALETTE[2]);
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    expect(colorsByName(many)('c11')).toBe(PALETTE[1]);
  });
});
