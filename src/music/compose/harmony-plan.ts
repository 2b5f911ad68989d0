import type { Rng } from '../random.js';
import type { HarmonyDeclaration, Progressions } from '../styles/style-composition.js';
import {
  diatonicChord,
  makeChord,
  mod12,
  type Chord,
  type KeyInfo,
  type Quality,
} from './chord.js';
import type { Meter } from './meter.js';
import {
  corpusChain,
  sampleDegrees,
  type DegreeChain,
  type SlotConstraint,
} from './progression.js';
import type { Material, Phrase } from './phrases.js';

/**
 * Harmony, phrase by phrase: each phrase gets a harmonic rhythm and a degree progression under
 * the cadence its form asks for (a half cadence ends the theme's first phrase, an authentic
 * cadence its second and the piece), drawn from the style's corpus chain or its idiom's loops.
 * A material's progression is written once and restated whenever the material returns, so the
 * theme comes back over the same chords. Then the style's chromatic colour is applied:
 * secondary dominants, borrowed chords, bVII, tritone substitutes, extensions.
 */

export interface ChordSlot {
  tick: number;
  duration: number;
  chord: Chord;
  phrase: number;
  /** The phrase's cadence falls on this chord (the last one, or the dominant before it). */
  cadential: boolean;
}

const TONIC = 0;
const SUPERTONIC = 1;
const SUBDOMINANT = 3;
const DOMINANT = 4;
const SUBMEDIANT = 5;

/** One chord of a phrase template: its degree and length in bars. */
interface TemplateChord {
  degree: number;
  bars: number;
  cadential: boolean;
  /** Restates the material's opening chord at this place (a consequent's first bars). */
  restated: boolean;
}

type PhraseTemplate = TemplateChord[];

interface HarmonyContext {
  key: KeyInfo;
  decl: HarmonyDeclaration;
  chain: DegreeChain | null;
  rng: Rng;
}

/** Bars per chord across a four-bar phrase, before the cadence. */
function rhythmOf(decl: HarmonyDeclaration, bars: number): number[] {
  if (bars < 4) return Array.from({ length: bars }, () => 1);
  return decl.barsPerChord === 2 ? [2, 1, 1] : [1, 1, 1, 1];
}

type Progression = readonly number[];

const NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];

/** "I-V-vi-IV I-vi-IV-V" → [[0, 4, 5, 3], [0, 5, 3, 4]]; throws on anything else. */
export function parseProgressions(text: Progressions): Progression[] {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => {
      const degrees = word
        .split('-')
        .map((numeral) => NUMERALS.indexOf(numeral.replace('°', '').toUpperCase()));
      if (degrees.length !== 4 || degrees.some((d) => d < 0)) {
        throw new Error(`not a four-chord progression in Roman numerals: ${word}`);
      }
      return degrees;
    });
}

function loopFor(ctx: HarmonyContext, material: Material): Progression {
  const source = ctx.decl.source;
  if (source.kind !== 'loops') return [0, 3, 4, 0];
  const set = material === 'A' || material === 'intro' ? source.theme : source.contrast;
  return ctx.rng.pick(parseProgressions(ctx.key.minor ? set.minor : set.major));
}

/** Degrees for one phrase's slots under its constraints, from the chain or a loop. */
function degreesFor(
  ctx: HarmonyContext,
  slots: readonly SlotConstraint[],
  loop: Progression | null,
  before: number | undefined,
): number[] {
  if (ctx.chain) return sampleDegrees(ctx.chain, slots, ctx.rng, { before });
  // Loop styles: the loop's chords where a slot is free, the constraint's choice otherwise.
  return slots.map((slot, i) => {
    const wanted = loop?.[i % 4] ?? TONIC;
    if (!slot.degrees) return wanted;
    return slot.degrees.includes(wanted) ? wanted : (slot.degrees[0] ?? TONIC);
  });
}

const PREDOMINANTS_MAJOR = [SUPERTONIC, SUBDOMINANT] as const;
const PREDOMINANTS_MINOR = [SUBDOMINANT, SUPERTONIC] as const;

function predominants(key: KeyInfo): readonly number[] {
  return key.minor ? PREDOMINANTS_MINOR : PREDOMINANTS_MAJOR;
}

/**
 * The template of one phrase: which slots are fixed by the form (the opening tonic, the
 * cadence) and which the style fills, with `opening` holding the first chords of the material's
 * first phrase when this phrase restates them.
 */
function phraseTemplate(
  ctx: HarmonyContext,
  phrase: Phrase,
  opening: readonly number[] | null,
  before: number | undefined,
  loop: Progression | null,
): PhraseTemplate {
  const rhythm = rhythmOf(ctx.decl, phrase.bars);
  const n = rhythm.length;
  const slots: SlotConstraint[] = rhythm.map((_, i) => ({
    degrees: null,
    strong: i % 2 === 0,
  }));
  const fix = (i: number, degrees: readonly number[]): void => {
    const slot = slots[i];
    if (slot && i >= 0) slot.degrees = degrees;
  };
  const { material, cadence, position } = phrase;
  const startsHome = material === 'A' || material === 'intro' || material === 'outro';
  if (startsHome) fix(0, [TONIC]);
  else
    fix(
      0,
      [SUBDOMINANT, SUBMEDIANT, SUPERTONIC, 2].filter((d) => d !== before),
    );
  // The consequent restates the antecedent's opening chords (bars 5–6 = bars 1–2); when that
  // puts V right before the cadence's own V, the cadence bar splits into pre-dominant and V
  // (I–V–ii·V–I) instead of standing still on V.
  let restated = 0;
  let forceSplit = false;
  if (opening && position === 1 && n >= 3) {
    restated = n - 2;
    const closes = cadence === 'authentic' || cadence === 'turnaround';
    forceSplit = closes && opening[restated - 1] === DOMINANT;
    opening.slice(0, restated).forEach((d, i) => fix(i, [d]));
  }
  let splitLast = false;
  switch (cadence) {
    case 'half':
      fix(n - 1, [DOMINANT]);
      if (n >= 3) fix(n - 2, predominants(ctx.key).concat(TONIC, SUBMEDIANT));
      break;
    case 'authentic':
    case 'turnaround':
      if (n >= 2) {
        // V–I; with a split cadence the pre-dominant shares the dominant's bar.
        fix(n - 1, cadence === 'turnaround' ? [DOMINANT] : [TONIC]);
        fix(n - 2, cadence === 'turnaround' ? predominants(ctx.key) : [DOMINANT]);
        splitLast = cadence === 'authentic' && (ctx.decl.splitCadence || forceSplit);
      } else fix(0, [TONIC]);
      break;
    case 'plagal':
      fix(n - 1, [TONIC]);
      if (n >= 2) fix(n - 2, [SUBDOMINANT]);
      break;
    case 'open':
      fix(n - 1, [DOMINANT, SUBMEDIANT, SUBDOMINANT, SUPERTONIC]);
      break;
  }
  const degrees = degreesFor(ctx, slots, loop, before);
  const template: PhraseTemplate = degrees.map((degree, i) => ({
    degree,
    bars: rhythm[i] ?? 1,
    cadential: i >= n - 2 && cadence !== 'open',
    restated: i < restated,
  }));
  if (splitLast && template.length >= 2) {
    // IV–V or ii–V inside the penultimate chord's time.
    const dominant = template[template.length - 2];
    const previous = template[template.length - 3];
    if (dominant && dominant.bars >= 1) {
      const pd = predominants(ctx.key).find((d) => d !== previous?.degree) ?? SUBDOMINANT;
      const half = dominant.bars / 2;
      template.splice(
        template.length - 2,
        1,
        { degree: pd, bars: half, cadential: true, restated: false },
        { degree: DOMINANT, bars: half, cadential: true, restated: false },
      );
    }
  }
  return template;
}

/** Quality of a diatonic degree at the style's extension level. */
function diatonic(ctx: HarmonyContext, degree: number): Chord {
  const sevenths = ctx.decl.extensions !== 'triads';
  const chord = diatonicChord(ctx.key, degree, sevenths);
  if (ctx.decl.extensions !== 'ninths') return chord;
  const ninth: Partial<Record<Quality, Quality>> = { maj7: 'maj9', m7: 'm9', '7': '9' };
  const extended = ninth[chord.quality];
  // Ninths on the stable chords only; the dominant keeps its plain seventh (or a 13th, below).
  return extended && degree !== DOMINANT && ctx.rng.chance(0.6)
    ? makeChord(ctx.key, chord.rootPc, extended, chord.fn, { degree: chord.degree })
    : chord;
}

/** The style's chromatic colour over a diatonic progression, chord by chord. */
function colour(
  ctx: HarmonyContext,
  chords: Chord[],
  fixed: readonly boolean[],
  locked: readonly boolean[],
  finalIndex: number,
): void {
  const { key, decl, rng } = ctx;
  const seventh = decl.extensions !== 'triads';
  for (let i = 0; i < chords.length; i++) {
    const chord = chords[i];
    const next = chords[i + 1];
    if (!chord || locked[i]) continue;
    const free = !fixed[i];
    // Secondary dominant: V7 of a strong non-tonic target, in place of a free chord before it.
    if (
      free &&
      next &&
      next.degree > 0 &&
      next.degree !== 6 &&
      !['dim', 'm7b5'].includes(next.quality) &&
      rng.chance(decl.colour.secondary)
    ) {
      const root = mod12(next.rootPc + 7);
      if (root !== key.tonicPc || !key.minor) {
        chords[i] = makeChord(
          key,
          root,
          seventh || rng.chance(0.6) ? '7' : 'M',
          'secondary-dominant',
        );
        continue;
      }
    }
    // Borrowed iv in major: the minor subdominant, most often at the end of a phrase or piece.
    if (
      !key.minor &&
      chord.degree === SUBDOMINANT &&
      (free || (finalIndex >= 0 && i >= finalIndex - 2)) &&
      rng.chance(decl.colour.borrowed)
    ) {
      chords[i] = makeChord(
        key,
        chord.rootPc,
        seventh ? 'm7' : rng.chance(0.5) ? 'm6' : 'm',
        'borrowed',
      );
      continue;
    }
    // bVII in place of a free (non-cadential) V in major.
    if (!key.minor && chord.degree === DOMINANT && free && rng.chance(decl.colour.flatSeven)) {
      chords[i] = makeChord(key, key.tonicPc + 10, 'M', 'borrowed');
      continue;
    }
    // Tritone substitute: bII7 for a dominant seventh resolving down a semitone to the tonic.
    if (
      chord.degree === DOMINANT &&
      next?.degree === TONIC &&
      i !== finalIndex - 1 &&
      rng.chance(decl.colour.tritone)
    ) {
      chords[i] = makeChord(key, key.tonicPc + 1, '7', 'substitute');
      continue;
    }
    // In minor the dominant keeps its raised leading tone; jazz colours it with a 13th.
    if (chord.degree === DOMINANT && decl.extensions === 'ninths' && rng.chance(0.4)) {
      chords[i] = makeChord(key, chord.rootPc, '13', 'dominant', { degree: DOMINANT });
    }
  }
}

export function planHarmony(
  phrases: readonly Phrase[],
  key: KeyInfo,
  decl: HarmonyDeclaration,
  meter: Meter,
  rngs: { progression: Rng; colour: Rng },
): ChordSlot[] {
  const chain =
    decl.source.kind === 'corpus'
      ? corpusChain(decl.source.corpus, key.minor ? 'minor' : 'major', decl.source.tilt)
      : null;
  // Two streams, so a longer form (an extension) keeps every earlier chord and its colour.
  const ctx: HarmonyContext = { key, decl, chain, rng: rngs.progression };
  // One template per (material, phrase position, cadence, length); a returning material reuses it.
  const written = new Map<string, PhraseTemplate>();
  const openings = new Map<Material, number[]>();
  const loops = new Map<Material, Progression>();
  const templates: PhraseTemplate[] = [];
  let before: number | undefined;
  for (const phrase of phrases) {
    const id = `${phrase.material}|${phrase.position}|${phrase.cadence}|${phrase.bars}`;
    let template = written.get(id);
    if (!template) {
      if (!loops.has(phrase.material)) loops.set(phrase.material, loopFor(ctx, phrase.material));
      template = phraseTemplate(
        ctx,
        phrase,
        openings.get(phrase.material) ?? null,
        before,
        loops.get(phrase.material) ?? null,
      );
      written.set(id, template);
      if (!openings.has(phrase.material))
        openings.set(
          phrase.material,
          template.map((c) => c.degree),
        );
    }
    templates.push(template);
    before = template[template.length - 1]?.degree;
  }
  // Chords, coloured once per written template so a return keeps its colours too; a consequent
  // takes its antecedent's opening chords as they were coloured, so the tune restated over
  // them still fits.
  const colourCtx: HarmonyContext = { ...ctx, rng: rngs.colour };
  const coloured = new Map<PhraseTemplate, Chord[]>();
  const openingChords = new Map<Material, Chord[]>();
  const slots: ChordSlot[] = [];
  phrases.forEach((phrase, p) => {
    const template = templates[p] ?? [];
    let chords = coloured.get(template);
    if (!chords) {
      const opening = phrase.position === 1 ? openingChords.get(phrase.material) : undefined;
      const restated = (i: number): boolean =>
        (template[i]?.restated ?? false) && opening?.[i] !== undefined;
      chords = template.map((c, i) =>
        restated(i)
          ? (opening?.[i] ?? diatonic(colourCtx, c.degree))
          : diatonic(colourCtx, c.degree),
      );
      const fixed = template.map((c, i) => c.cadential || i === 0 || restated(i));
      const locked = template.map((_, i) => restated(i));
      colour(colourCtx, chords, fixed, locked, phrase.final ? chords.length - 1 : -1);
      coloured.set(template, chords);
      if (phrase.position === 0 && !openingChords.has(phrase.material))
        openingChords.set(phrase.material, chords);
    }
    let tick = phrase.startBar * meter.barTicks;
    template.forEach((c, i) => {
      const duration = Math.round(c.bars * meter.barTicks);
      const chord = chords?.[i] ?? diatonic(colourCtx, c.degree);
      slots.push({ tick, duration, chord, phrase: phrase.index, cadential: c.cadential });
      tick += duration;
    });
  });
  // A major final chord in a minor key (the Picardy third), where the idiom has it.
  const last = slots[slots.length - 1];
  const lastPhrase = phrases[phrases.length - 1];
  if (
    last &&
    lastPhrase?.cadence !== 'turnaround' &&
    key.minor &&
    last.chord.degree === TONIC &&
    rngs.colour.chance(decl.colour.picardy)
  ) {
    last.chord = makeChord(key, key.tonicPc, decl.extensions === 'triads' ? 'M' : 'maj7', 'tonic', {
      degree: 0,
    });
  }
  return slots;
}

export function chordAt(slots: readonly ChordSlot[], tick: number): ChordSlot {
  let low = 0;
  let high = slots.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((slots[mid]?.tick ?? 0) <= tick) low = mid;
    else high = mid - 1;
  }
  const slot = slots[low];
  if (!slot) throw new Error('no harmony planned');
  return slot;
}
