/**
 * Second-order IIR sections from the Audio EQ Cookbook (R. Bristow-Johnson), run in place on
 * float channels. Coefficients are computed in doubles and the state is carried in locals, so a
 * 60-second stereo pass costs a few milliseconds. No library: the Node packages that offer these
 * (biquad-coeffs-webaudio, fili, dsp.js) are coefficient tables or browser-era code unmaintained
 * for years, for a dozen lines of arithmetic (docs/decisions/0015-studio-sound.md).
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

const normalise = (b0: number, b1: number, b2: number, a0: number, a1: number, a2: number) => ({
  b0: b0 / a0,
  b1: b1 / a0,
  b2: b2 / a0,
  a1: a1 / a0,
  a2: a2 / a0,
});

/** Butterworth (Q = 1/√2) unless told otherwise. */
export function highPass(sampleRate: number, hz: number, q = Math.SQRT1_2): Biquad {
  const w = (2 * Math.PI * hz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

export function lowPass(sampleRate: number, hz: number, q = Math.SQRT1_2): Biquad {
  const w = (2 * Math.PI * hz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const c = Math.cos(w);
  return normalise((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

/** Shelf with slope S = 1 (the steepest without a bump). */
function shelf(sampleRate: number, hz: number, gainDb: number, high: boolean): Biquad {
  const a = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * hz) / sampleRate;
  const c = Math.cos(w);
  const alpha = (Math.sin(w) / 2) * Math.SQRT2;
  const root = 2 * Math.sqrt(a) * alpha;
  if (high) {
    return normalise(
      a * (a + 1 + (a - 1) * c + root),
      -2 * a * (a - 1 + (a + 1) * c),
      a * (a + 1 + (a - 1) * c - root),
      a + 1 - (a - 1) * c + root,
      2 * (a - 1 - (a + 1) * c),
      a + 1 - (a - 1) * c - root,
    );
  }
  return normalise(
    a * (a + 1 - (a - 1) * c + root),
    2 * a * (a - 1 - (a + 1) * c),
    a * (a + 1 - (a - 1) * c - root),
    a + 1 + (a - 1) * c + root,
    -2 * (a - 1 + (a + 1) * c),
    a + 1 + (a - 1) * c - root,
  );
}

export const highShelf = (sampleRate: number, hz: number, gainDb: number): Biquad =>
  shelf(sampleRate, hz, gainDb, true);
export const lowShelf = (sampleRate: number, hz: number, gainDb: number): Biquad =>
  shelf(sampleRate, hz, gainDb, false);

/** Runs one section over `samples` in place (direct form I, double-precision state). */
export function filterInPlace(samples: Float32Array, f: Biquad): void {
  const { b0, b1, b2, a1, a2 } = f;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] as number;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    // Flush denormals: a decaying tail would otherwise slow the loop to a crawl.
    y1 = Math.abs(y) < 1e-25 ? 0 : y;
    samples[i] = y;
  }
}

/** Several sections in series: one pass per section (each pass is cache-friendly and short). */
export function filterChain(samples: Float32Array, sections: readonly Biquad[]): void {
  for (const f of sections) filterInPlace(samples, f);
}
