import type { MusicSteering, Texture } from '../perception/content-steering.js';
import { planAffect } from '../perception/affect-model.js';
import type { ImagePerception } from '../perception/image-perception.js';
import { requireStyle, type Style } from '../styles/style-registry.js';
import type { Bilingual } from './explain.js';
import type { GmInstrument } from './instruments.js';
import type { Mode } from './music-plan.js';
import { registerOf } from './register.js';

/**
 * What the picture shows, as far as the planner uses it: the affect read from its content,
 * colour and a learned head (perception/affect-model.ts), a description in plain words, and
 * content → music suggestions (perception/content-steering.ts). Nothing in it comes from a
 * face beyond "a portrait" or a count of people, so it may be stored with the plan.
 */
export interface ImageReading {
  valence: number;
  arousal: number;
  description: Bilingual;
  steering: MusicSteering;
}

/**
 * The plan's emotion scale (−1..1, as the colour reading and the mood words use it) from the
 * blend's standard score: a typical picture sits at `centre`, one spread away at ±0.4, so the
 * whole plane is used. An ordinary photo reads as mildly pleasant, not neutral.
 */
const STANDARD_TO_PLAN = 0.4;
const PICTURE_VALENCE = 0.1;

function planScale(standard: number, centre: number): number {
  return Math.round(Math.max(-1, Math.min(1, centre + STANDARD_TO_PLAN * standard)) * 1000) / 1000;
}

/** The part of a perception the planner reads (and that may be kept with the plan). */
export function readingOf(seen: ImagePerception): ImageReading {
  const standard = planAffect(seen.affect);
  return {
    valence: planScale(standard.valence, PICTURE_VALENCE),
    arousal: planScale(standard.arousal, 0),
    description: { en: seen.description.en, zh: seen.description.zh },
    steering: seen.steering,
  };
}

/** A suggestion has to be at least this sure before it outranks the mood's own choice. */
const STYLE_STRENGTH = 0.6;
const LEAD_STRENGTH = 0.5;
const MODE_STRENGTH = 0.5;
const TEXTURE_STRENGTH = 0.4;
/** How far the content's tempo lean (−1..1) moves the tempo. */
const TEMPO_LEAN = 0.12;

export interface SteeredChoice<T> {
  value: T;
  reason: Bilingual;
}

/** The strongest style the picture's content suggests that also suits its mood. */
export function steeredStyle(
  reading: ImageReading | undefined,
  mood: { valence: number; arousal: number },
): SteeredChoice<Style> | undefined {
  const inside = (range: readonly [number, number], v: number): boolean =>
    v >= range[0] && v <= range[1];
  const top = reading?.steering.styles.find((s) => {
    const { fits } = requireStyle(s.style);
    return (
      s.strength >= STYLE_STRENGTH &&
      inside(fits.valence, mood.valence) &&
      inside(fits.arousal, mood.arousal)
    );
  });
  if (!top) return undefined;
  return { value: top.style, reason: { en: top.reason.en, zh: top.reason.zh } };
}

/** Families that can carry a tune; a suggested timpani or pad colours the band instead. */
const LEAD_FAMILIES = new Set([
  'keys',
  'mallets',
  'organ',
  'guitar',
  'strings',
  'brass',
  'reed',
  'pipe',
  'ethnic',
]);

/** Styles where a plucked or struck lead (harp, piano, bells) suits; grooves want a voice. */
const PLUCKED_LEAD_STYLES: ReadonlySet<Style> = new Set(['ambient', 'cinematic', 'pop-ballad']);

export function steeredLead(
  reading: ImageReading | undefined,
  style: Style,
): SteeredChoice<GmInstrument> | undefined {
  const top = reading?.steering.instruments.find((i) => {
    const register = registerOf(i.instrument);
    return (
      LEAD_FAMILIES.has(register.family) &&
      i.instrument.program !== 47 &&
      (register.sustained || PLUCKED_LEAD_STYLES.has(style))
    );
  });
  if (!top || top.strength < LEAD_STRENGTH) return undefined;
  return { value: top.instrument, reason: { en: top.reason.en, zh: top.reason.zh } };
}

export function steeredMode(reading: ImageReading | undefined): SteeredChoice<Mode> | undefined {
  const mode = reading?.steering.mode;
  if (!reading || !mode || mode.strength < MODE_STRENGTH) return undefined;
  const rule = reading.steering.reasons[0];
  return { value: mode.mode, reason: rule ? { en: rule.en, zh: rule.zh } : { en: '', zh: '' } };
}

export function steeredTextures(reading: ImageReading | undefined): Texture[] {
  return (reading?.steering.textures ?? [])
    .filter((t) => t.strength >= TEXTURE_STRENGTH)
    .slice(0, 3)
    .map((t) => t.texture);
}

export function tempoLean(reading: ImageReading | undefined): number {
  return 1 + TEMPO_LEAN * (reading?.steering.tempo ?? 0);
}
