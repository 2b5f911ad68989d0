import type { SpessaSynthProcessor } from 'spessasynth_core';

/**
 * spessasynth_core's Dattorro plate reverb, sample for sample the same arithmetic, written for
 * speed: its delay lines live in local typed arrays with one shared sample counter instead of
 * `[buffer, write, read, mask]` tuples advanced one by one through method calls, which made the
 * reverb about a third of the whole render. The output is bit-identical to the library's
 * (tested on real scores), so sound and determinism are unchanged; only the time goes down.
 *
 * The library's reverb keeps its own parameters (character, time, pre-delay…) and calls
 * `dattorro.process` for the plate; `installFastReverb` swaps that one object. If a future
 * version of the library no longer has it, the swap is skipped and the stock reverb is used.
 */

/** Delay lengths of the plate (seconds), in the library's order. */
const DELAY_SECONDS = [
  0.004771345, 0.003595309, 0.012734787, 0.009307483, 0.022579886, 0.149625349, 0.060481839,
  0.1249958, 0.030509727, 0.141695508, 0.089244313, 0.106280031,
];
/** Output taps (seconds), in the library's order. */
const TAP_SECONDS = [
  0.008937872, 0.099929438, 0.064278754, 0.067067639, 0.066866033, 0.006283391, 0.035818689,
  0.011861161, 0.121870905, 0.041262054, 0.08981553, 0.070931756, 0.011256342, 0.004065724,
];

/** The parameters the library's reverb sets on its plate. */
const PARAMETERS = [
  'preDelay',
  'preLPF',
  'inputDiffusion1',
  'inputDiffusion2',
  'decay',
  'decayDiffusion1',
  'decayDiffusion2',
  'damping',
  'excursionRate',
  'excursionDepth',
  'gain',
] as const;
type Parameter = (typeof PARAMETERS)[number];

/** One value per delay line of the plate, in DELAY_SECONDS' order. */
type PerLine<T> = [T, T, T, T, T, T, T, T, T, T, T, T];
/** One value per output tap, in TAP_SECONDS' order. */
type PerTap<T> = [...PerLine<T>, T, T];

export class FastDattorroPlate {
  preDelay = 0;
  preLPF = 0.5;
  inputDiffusion1 = 0.75;
  inputDiffusion2 = 0.625;
  decay = 0.5;
  decayDiffusion1 = 0.7;
  decayDiffusion2 = 0.5;
  damping = 0.005;
  excursionRate = 0.1;
  excursionDepth = 0.2;
  gain = 1;

  readonly #sampleRate: number;
  readonly #buffers: PerLine<Float32Array>;
  /** Power-of-two length − 1 of each line's buffer. */
  readonly #masks: PerLine<number>;
  /** Samples from each line's read position to its write position (length − 1). */
  readonly #lags: PerLine<number>;
  readonly #taps: PerTap<number>;
  readonly #pDelay: Float32Array;
  #pDWrite = 0;
  #lp1 = 0;
  #lp2 = 0;
  #lp3 = 0;
  #excPhase = 0;
  /** Samples processed; every line's read position is `time & mask`. */
  #time = 0;

  /**
   * `scale` scales every delay and tap of the tank: 1 is the plate as published (and as the
   * library renders it); smaller sounds like a room, larger like a hall.
   */
  constructor(sampleRate: number, scale = 1) {
    this.#sampleRate = sampleRate;
    this.#pDelay = new Float32Array(sampleRate);
    const lengths = DELAY_SECONDS.map((seconds) => Math.round(seconds * scale * sampleRate));
    const sizes = lengths.map((length) => 2 ** Math.ceil(Math.log2(length)));
    this.#buffers = sizes.map((size) => new Float32Array(size)) as PerLine<Float32Array>;
    // `| 0` keeps these small integers (not doubles) in their arrays and locals: the loop's
    // `(t + lag) & mask` then stays integer arithmetic, which measurably matters for speed.
    this.#masks = sizes.map((size) => (size - 1) | 0) as PerLine<number>;
    this.#lags = lengths.map((length) => (length - 1) | 0) as PerLine<number>;
    this.#taps = TAP_SECONDS.map((s) => Math.round(s * scale * sampleRate) | 0) as PerTap<number>;
  }

  process(
    input: Float32Array,
    outputLeft: Float32Array,
    outputRight: Float32Array,
    startIndex: number,
    sampleCount: number,
  ): void {
    const pd = this.preDelay | 0;
    const fi = this.inputDiffusion1;
    const si = this.inputDiffusion2;
    const dc = this.decay;
    const ft = this.decayDiffusion1;
    const st = this.decayDiffusion2;
    const dp = 1 - this.damping;
    const ex = this.excursionRate / this.#sampleRate;
    const ed = (this.excursionDepth * this.#sampleRate) / 1e3;
    const preLPF = this.preLPF;
    const gain = this.gain;
    const pDelay = this.#pDelay;
    const pDLength = pDelay.length;
    const blockStart = this.#pDWrite;
    for (let j = 0; j < sampleCount; j++) pDelay[(blockStart + j) % pDLength] = input[j] as number;

    // Plain locals, not array reads, inside the per-sample loop: the loop is the render's hot spot.
    const [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11] = this.#buffers;
    const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11] = this.#masks;
    const [g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, g10, g11] = this.#lags;
    const [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13] = this.#taps;

    let lp1 = this.#lp1;
    let lp2 = this.#lp2;
    let lp3 = this.#lp3;
    let excPhase = this.#excPhase;
    let t = this.#time;
    // Four-point cubic read around a modulated position, as the library's readDelayCAt.
    const cubic = (buffer: Float32Array, mask: number, at: number): number => {
      const frac = at - ~~at;
      let int = ~~at + (t & mask) - 1;
      const x0 = buffer[int++ & mask] as number;
      const x1 = buffer[int++ & mask] as number;
      const x2 = buffer[int++ & mask] as number;
      const x3 = buffer[int & mask] as number;
      const a = (3 * (x1 - x2) - x0 + x3) / 2;
      const b = 2 * x2 + x0 - (5 * x1 + x3) / 2;
      const c = (x2 - x0) / 2;
      return ((a * frac + b) * frac + c) * frac + x1;
    };

    for (let i = 0; i < sampleCount; i++) {
      lp1 += preLPF * ((pDelay[(pDLength + blockStart - pd + i) % pDLength] as number) - lp1);
      // A write returns the value written (as a double), exactly as the library's writeDelay.
      let pre = lp1 - fi * (b0[t & m0] as number);
      b0[(t + g0) & m0] = pre;
      pre = fi * (pre - (b1[t & m1] as number)) + (b0[t & m0] as number);
      b1[(t + g1) & m1] = pre;
      pre = fi * pre + (b1[t & m1] as number) - si * (b2[t & m2] as number);
      b2[(t + g2) & m2] = pre;
      pre = si * (pre - (b3[t & m3] as number)) + (b2[t & m2] as number);
      b3[(t + g3) & m3] = pre;
      const split = si * pre + (b3[t & m3] as number);
      const exc = ed * (1 + Math.cos(excPhase * 6.28));
      const exc2 = ed * (1 + Math.sin(excPhase * 6.2847));

      const c4 = cubic(b4, m4, exc);
      let temp = split + dc * (b11[t & m11] as number) + ft * c4;
      b4[(t + g4) & m4] = temp;
      b5[(t + g5) & m5] = c4 - ft * temp;
      lp2 += dp * ((b5[t & m5] as number) - lp2);
      temp = dc * lp2 - st * (b6[t & m6] as number);
      b6[(t + g6) & m6] = temp;
      b7[(t + g7) & m7] = (b6[t & m6] as number) + st * temp;

      const c8 = cubic(b8, m8, exc2);
      temp = split + dc * (b7[t & m7] as number) + ft * c8;
      b8[(t + g8) & m8] = temp;
      b9[(t + g9) & m9] = c8 - ft * temp;
      lp3 += dp * ((b9[t & m9] as number) - lp3);
      temp = dc * lp3 - st * (b10[t & m10] as number);
      b10[(t + g10) & m10] = temp;
      b11[(t + g11) & m11] = (b10[t & m10] as number) + st * temp;

      const left =
        (b9[(t + t0) & m9] as number) +
        (b9[(t + t1) & m9] as number) -
        (b10[(t + t2) & m10] as number) +
        (b11[(t + t3) & m11] as number) -
        (b5[(t + t4) & m5] as number) -
        (b6[(t + t5) & m6] as number) -
        (b7[(t + t6) & m7] as number);
      const idx = i + startIndex;
      outputLeft[idx] = (outputLeft[idx] as number) + left * gain;
      const right =
        (b5[(t + t7) & m5] as number) +
        (b5[(t + t8) & m5] as number) -
        (b6[(t + t9) & m6] as number) +
        (b7[(t + t10) & m7] as number) -
        (b9[(t + t11) & m9] as number) -
        (b10[(t + t12) & m10] as number) -
        (b11[(t + t13) & m11] as number);
      outputRight[idx] = (outputRight[idx] as number) + right * gain;
      excPhase += ex;
      // Every line size is a power of two no larger than 2^30, so wrapping keeps `t & mask`.
      t = (t + 1) & 0x3fffffff;
    }
    this.#lp1 = lp1;
    this.#lp2 = lp2;
    this.#lp3 = lp3;
    this.#excPhase = excPhase;
    this.#time = t;
    this.#pDWrite = (blockStart + sampleCount) % pDLength;
  }
}

/**
 * Replaces the synth reverb's plate with the fast one, carrying over the parameters it already
 * has. Call before the first `process`. Returns false (and changes nothing) if the library's
 * reverb does not have the expected shape.
 */
export function installFastReverb(synth: SpessaSynthProcessor): boolean {
  const reverb = synth.reverbProcessor as unknown as { dattorro?: unknown } | undefined;
  const stock = reverb?.dattorro as Partial<Record<Parameter | 'process', unknown>> | undefined;
  if (!reverb || !stock || typeof stock.process !== 'function') return false;
  if (!PARAMETERS.every((p) => typeof stock[p] === 'number')) return false;
  const plate = new FastDattorroPlate(synth.sampleRate);
  for (const p of PARAMETERS) plate[p] = stock[p] as number;
  reverb.dattorro = plate;
  return true;
}
