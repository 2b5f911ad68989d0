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

interface Line {
  buffer: Float32Array;
  /** Power-of-two length − 1. */
  mask: number;
  /** Samples from the read position to the write position (length − 1). */
  lag: number;
}

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
  readonly #lines: Line[];
  readonly #taps: Int32Array;
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
    this.#lines = DELAY_SECONDS.map((seconds) => {
      const length = Math.round(seconds * scale * sampleRate);
      const size = 2 ** Math.ceil(Math.log2(length));
      return { buffer: new Float32Array(size), mask: size - 1, lag: length - 1 };
    });
    this.#taps = Int32Array.from(TAP_SECONDS, (s) => Math.round(s * scale * sampleRate));
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

    const [l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11] = this.#lines as [
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
      Line,
    ];
    const b0 = l0.buffer,
      b1 = l1.buffer,
      b2 = l2.buffer,
      b3 = l3.buffer,
      b4 = l4.buffer;
    const b5 = l5.buffer,
      b6 = l6.buffer,
      b7 = l7.buffer,
      b8 = l8.buffer,
      b9 = l9.buffer;
    const b10 = l10.buffer,
      b11 = l11.buffer;
    const m0 = l0.mask,
      m1 = l1.mask,
      m2 = l2.mask,
      m3 = l3.mask,
      m4 = l4.mask,
      m5 = l5.mask;
    const m6 = l6.mask,
      m7 = l7.mask,
      m8 = l8.mask,
      m9 = l9.mask,
      m10 = l10.mask,
      m11 = l11.mask;
    const g0 = l0.lag,
      g1 = l1.lag,
      g2 = l2.lag,
      g3 = l3.lag,
      g4 = l4.lag,
      g5 = l5.lag;
    const g6 = l6.lag,
      g7 = l7.lag,
      g8 = l8.lag,
      g9 = l9.lag,
      g10 = l10.lag,
      g11 = l11.lag;
    const tap = this.#taps;
    const t0 = tap[0] as number,
      t1 = tap[1] as number,
      t2 = tap[2] as number;
    const t3 = tap[3] as number,
      t4 = tap[4] as number,
      t5 = tap[5] as number;
    const t6 = tap[6] as number,
      t7 = tap[7] as number,
      t8 = tap[8] as number;
    const t9 = tap[9] as number,
      t10 = tap[10] as number,
      t11 = tap[11] as number;
    const t12 = tap[12] as number,
      t13 = tap[13] as number;

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
