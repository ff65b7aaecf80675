/**
 * Base-2 Halton (van der Corput) sequence: the low-discrepancy jitter ChEES-HMC applies to its
 * trajectory length (Hoffman, Radul & Sountsov 2021, sec. 3.2), as BlackJAX's `halton_sequence`.
 */

/** The i-th (0-based) element, in (0, 1): the bits of i + 1 mirrored about the binary point. */
export function halton(i: number): number {
  let n = i + 1;
  let f = 0.5;
  let out = 0;
  while (n > 0) {
    if (n & 1) out += f;
    n >>>= 1;
    f *= 0.5;
  }
  return out;
}
