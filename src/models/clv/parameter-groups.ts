/**
 * Which parameters each customer of a count model uses: one group (pooled), or one per
 * acquisition channel (`config.perChannel`: every parameter gets an element per channel,
 * `r[search]`, with the pooled model's prior, and each channel's customers inform only their
 * channel's elements).
 */
import { InputError } from '../../api/errors';
import type { RfmSummary } from '../../data/rfm';

/** Fewest customers a channel needs for parameters of its own (`config.perChannel`). */
export const MIN_CHANNEL_CUSTOMERS = 10;

/** The parameter group of every customer. */
export interface ParameterGroups {
  /** Channel names in order, or [] when pooled. */
  labels: string[];
  /** Group of each customer. */
  ofCustomer: Int32Array;
}

/** The groups of `rfm`'s customers; per channel, every channel needs enough customers and a repeat purchase. */
export function parameterGroups(rfm: RfmSummary, perChannel: boolean, label: string): ParameterGroups {
  const n = rfm.ids.length;
  if (!perChannel) return { labels: [], ofCustomer: new Int32Array(n) };
  if (!rfm.channel) {
    throw new InputError(`Parameters per channel (config.perChannel) need the acquisition channel column: choose it under "Acquisition channel", or turn the option off.`);
  }
  const labels = [...new Set(rfm.channel)].sort();
  const index = new Map(labels.map((c, k) => [c, k]));
  const ofCustomer = Int32Array.from(rfm.channel, (c) => index.get(c)!);
  labels.forEach((c, k) => {
    let customers = 0;
    let repeaters = 0;
    ofCustomer.forEach((g, i) => {
      if (g !== k) return;
      customers++;
      if (rfm.frequency[i] > 0) repeaters++;
    });
    if (customers < MIN_CHANNEL_CUSTOMERS || repeaters === 0) {
      throw new InputError(
        `Channel "${c}" has ${customers} customer${customers === 1 ? '' : 's'} and ${repeaters} with a repeat purchase: ${label} parameters per channel need at least ${MIN_CHANNEL_CUSTOMERS} customers and one repeat purchase in every channel. Turn off "parameters per channel" or merge the small channels.`,
      );
    }
  });
  return { labels, ofCustomer };
}
