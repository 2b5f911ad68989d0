import { HARMONY_STATS, type CorpusSource, type WirRepertoire } from '../corpus-stats.js';
import type { Rng } from '../../random.js';
import type { LegacySection, LegacyStyle } from './legacy-plan.js';

/**
 * Where each style's progressions come from. Folk dance tunes → the Nottingham chain; the
 * classical-sounding styles → the Bach chorale chain, tilted toward When-in-Rome usage of a
 * related repertoire. The pop-family styles keep the hand-written tables in compose.ts: their
 * I–V–vi–IV idiom is in none of the corpora (see the decision record).
 */
export const HARMONY_SOURCE: Record<
  LegacyStyle,
  { source: CorpusSource; tilt?: WirRepertoire } | null
> = {
  folk: { source: 'nottingham' },
  cinematic: { source: 'bach', tilt: 'Orchestral' },
  'piano-solo': { source: 'bach', tilt: 'Piano_Sonatas' },
  ambient: null,
  'pop-ballad': null,
  upbeat: null,
  'lo-fi': null,
  jazz: null,
};

/** A transition or degree rarer than this in the source is never used (below it: noise, typos). */
export const MIN_PROBABILITY = 0.02;
/** The same chord at most this many slots in a row (outside the final tonic). */
export const MAX_RUN = 2;
/** Repeating a chord is capped so a slot-per-bar progression still moves. */
const REPEAT_CAP = 0.3;
/** How strongly When-in-Rome usage reweights the chain's targets (0 = none, 1 = fully). */
const TILT = 0.5;
/** Preference for the repeated theme/contrast progression over a free choice, per slot. */
const TEMPLATE_WEIGHT = 1e4;

const TONIC = 0;
const SUBDOMINANT = 3;
const SUPERTONIC = 1;
const DOMINANT = 4;

export interface HarmonyChain {
  source: CorpusSource;
  mode: 'major' | 'minor';
  /** Degrees allowed at all, and on strong slots. */
  allowed: boolean[];
  allowedStrong: boolean[];
  /** Slot-to-slot weights (repeat on the diagonal); zero where the source has no such move. */
  weights: number[][];
}

export function trainedChain(style: LegacyStyle, mode: 'major' | 'minor'): HarmonyChain | null {
  const spec = HARMONY_SOURCE[style];
  if (!spec) return null;
  const source = HARMONY_STATS.harmony[spec.source][mode];
  const tiltBy = spec.tilt ? HARMONY_STATS.harmony.whenInRome[spec.tilt][mode].unigram : null;
  const allowed = source.unigram.map(
    (p, d) => p >= MIN_PROBABILITY || d === TONIC || d === DOMINANT,
  );
  const allowedStrong = source.strongUnigram.map(
    (p, d) => (allowed[d] ?? false) && p >= MIN_PROBABILITY,
  );
  const tilt = (d: number): number =>
    tiltBy ? (((tiltBy[d] ?? 0) + 0.01) / ((source.unigram[d] ?? 0) + 0.01)) ** TILT : 1;
  const weights = source.transitions.map((row, a) => {
    const change = row.map((p, b) =>
      b !== a && p >= MIN_PROBABILITY && allowed[b] ? p * tilt(b) : 0,
    );
    const total = change.reduce((s, v) => s + v, 0);
    const repeat = Math.min(REPEAT_CAP, source.repeat[a] ?? 0);
    return change.map((v, b) =>
      b === a
        ? repeat >= MIN_PROBABILITY
          ? repeat
          : 0
        : total > 0
          ? ((1 - repeat) * v) / total
          : 0,
    );
  });
  return { source: spec.source, mode, allowed, allowedStrong, weights };
}

/**
 * Forward-filtering, backward-sampling over (degree, run length): draws a progression from the
 * chain conditioned on every slot's constraints, so cadences are reached through moves the
 * source actually makes instead of being pasted over whatever came before.
 * `unary[i][d]` weighs degree d at slot i (0 = forbidden); `before` is the degree sounding
 * before slot 0; `after` weighs the degree that must follow the last slot.
 */
export function sampleChain(
  chain: HarmonyChain,
  unary: readonly (readonly number[])[],
  rng: Rng,
  options: { before?: number | undefined; after?: number | undefined } = {},
): number[] {
  const n = unary.length;
  if (n === 0) return [];
  const states = 7 * MAX_RUN;
  const degreeOf = (s: number): number => Math.floor(s / MAX_RUN);
  const runOf = (s: number): number => (s % MAX_RUN) + 1;
  const step = (from: number, to: number): number => {
    const a = degreeOf(from);
    const b = degreeOf(to);
    if (a !== b) return runOf(to) === 1 ? (chain.weights[a]?.[b] ?? 0) : 0;
    return runOf(to) === runOf(from) + 1 ? (chain.weights[a]?.[a] ?? 0) : 0;
  };
  // beta[i][s]: weight of completing the progression from state s at slot i (normalised).
  const beta: number[][] = Array.from({ length: n }, () => Array<number>(states).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = beta[i] as number[];
    for (let s = 0; s < states; s++) {
      const local = unary[i]?.[degreeOf(s)] ?? 0;
      if (local === 0) continue;
      let future = 1;
      if (i < n - 1) {
        future = 0;
        const next = beta[i + 1] as number[];
        for (let t = 0; t < states; t++) future += step(s, t) * (next[t] ?? 0);
      } else if (options.after !== undefined) {
        future =
          degreeOf(s) === options.after ? 1 : (chain.weights[degreeOf(s)]?.[options.after] ?? 0);
      }
      row[s] = local * future;
    }
    const max = Math.max(...row);
    if (max > 0) for (let s = 0; s < states; s++) row[s] = (row[s] ?? 0) / max;
  }
  const path: number[] = [];
  let current: number | undefined;
  const all = Array.from({ length: states }, (_, s) => s);
  for (let i = 0; i < n; i++) {
    const row = beta[i] as number[];
    const weights = all.map((s) => {
      if (current !== undefined) return step(current, s) * (row[s] ?? 0);
      if (runOf(s) !== 1) return 0;
      const enter =
        options.before === undefined ? 1 : (chain.weights[options.before]?.[degreeOf(s)] ?? 0);
      return (options.before === degreeOf(s) ? 1 : enter) * (row[s] ?? 0);
    });
    if (!weights.some((w) => w > 0)) {
      // No path through the source's moves (should not happen with the shipped statistics):
      // fall back to the best local choice rather than failing the composition.
      const best = all.reduce((b, s) => ((row[s] ?? 0) > (row[b] ?? 0) ? s : b), 0);
      current = (row[best] ?? 0) > 0 ? best : TONIC * MAX_RUN;
    } else {
      current = rng.pickWeighted(all, weights);
    }
    path.push(degreeOf(current));
  }
  return path;
}

const only = (degree: number): number[] =>
  Array.from({ length: 7 }, (_, d) => (d === degree ? 1 : 0));

/**
 * A four-chord cycle that starts where asked and loops back to its first chord. Its second and
 * last chords differ from the first, so neither the loop back nor a new section restarting the
 * cycle piles up more than MAX_RUN of one chord.
 */
function sampleCycle(chain: HarmonyChain, first: number, rng: Rng): number[] {
  const free = (strong: boolean, notFirst: boolean): number[] =>
    (strong ? chain.allowedStrong : chain.allowed).map((ok, d) =>
      ok && !(notFirst && d === first) ? 1 : 0,
    );
  return sampleChain(
    chain,
    [only(first), free(false, true), free(true, false), free(false, true)],
    rng,
    { after: first },
  );
}

/**
 * Degrees for every section's chord slots (barsPerChord bars each), with the engine's cadence
 * rules: each period but the last ends on a half cadence (V), the last one on pre-dominant → V
 * into a tonic outro, and a loop's outro turns on V. Theme-family sections repeat one sampled
 * four-chord cycle and the contrast another, so returning material sounds like a return.
 */
export function planTrainedDegrees(
  sections: readonly LegacySection[],
  barsPerChord: number,
  loop: boolean,
  chain: HarmonyChain,
  rng: Rng,
): number[][] {
  const theme = sampleCycle(chain, TONIC, rng);
  // The contrast starts away from home, on a chord the source moves to from V.
  const openers = chain.weights[DOMINANT]?.map((w, d) =>
    d !== TONIC && d !== DOMINANT && chain.allowedStrong[d] ? w : 0,
  ) ?? [1];
  const contrastStart = openers.some((w) => w > 0)
    ? rng.pickWeighted([0, 1, 2, 3, 4, 5, 6], openers)
    : SUBDOMINANT;
  const contrast = sampleCycle(chain, contrastStart, rng);
  const preDominant = chain.mode === 'minor' ? [SUBDOMINANT] : [SUPERTONIC, SUBDOMINANT];

  const lastBody = [...sections].reverse().find((s) => s.name !== 'outro');
  const unary: number[][] = [];
  const counts: number[] = [];
  for (const section of sections) {
    const count = Math.ceil(section.bars / barsPerChord);
    counts.push(count);
    const cycle = section.name === 'contrast' ? contrast : theme;
    for (let i = 0; i < count; i++) {
      const strong = (i * barsPerChord) % 2 === 0;
      let forced: number[] | null = null;
      if (unary.length === 0)
        forced = [TONIC]; // the piece opens at home
      else if (section.name === 'outro') forced = [loop && i === count - 1 ? DOMINANT : TONIC];
      else if (section !== lastBody && section.name !== 'intro' && i === count - 1)
        forced = [DOMINANT]; // half cadence
      else if (section === lastBody && i === count - 1) forced = [DOMINANT];
      else if (section === lastBody && count >= 3 && i === count - 2) forced = preDominant;
      if (forced) {
        const set = forced;
        unary.push(Array.from({ length: 7 }, (_, d) => (set.includes(d) ? 1 : 0)));
        continue;
      }
      const template = cycle[i % cycle.length] ?? TONIC;
      const ok = strong ? chain.allowedStrong : chain.allowed;
      unary.push(ok.map((allowed, d) => (!allowed ? 0 : d === template ? TEMPLATE_WEIGHT : 1)));
    }
  }
  // A loop's first chord follows its last; a piece starts from silence.
  const degrees = sampleChain(chain, unary, rng, loop ? { after: TONIC } : {});
  const out: number[][] = [];
  let cursor = 0;
  for (const count of counts) {
    out.push(degrees.slice(cursor, cursor + count));
    cursor += count;
  }
  return out;
}
