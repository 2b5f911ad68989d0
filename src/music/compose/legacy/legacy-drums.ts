import type { Rng } from '../../random.js';
import type { ScoreNote } from '../score.js';
import { clampVelocity, EIGHTH, type PartContext } from './legacy-common.js';
import type { LegacySection } from './legacy-plan.js';

const KICK = 36;
const SIDE_STICK = 37;
const SNARE = 38;
const FLOOR_TOM = 41;
const CLOSED_HAT = 42;
const PEDAL_HAT = 44;
const LOW_TOM = 45;
const OPEN_HAT = 46;
const CRASH = 49;
const RIDE = 51;
const TAMBOURINE = 54;
const SHAKER = 70; // GM maracas

type Hit = (bar: number, eighth: number, pitch: number, velocity: number) => void;

interface DrumBar {
  bar: number;
  section: LegacySection;
  /** 0.7..1.1 velocity scale from the section's energy. */
  scale: number;
  loud: boolean;
  sectionStart: boolean;
  sectionEnd: boolean;
}

/** The v0 kit grooves: brushes for the ballad, a driving kit for the electronic style. */
function popBar(d: DrumBar, hit: Hit, upbeat: boolean): void {
  const { bar, section, scale, loud } = d;
  if (d.sectionStart && section.name !== 'intro' && bar > 0) hit(bar, 0, CRASH, 90 * scale);
  if (section.name === 'intro') {
    for (let e = 0; e < 8; e += upbeat ? 1 : 2) hit(bar, e, CLOSED_HAT, (e % 2 ? 45 : 60) * scale);
    if (upbeat) [0, 4].forEach((e) => hit(bar, e, KICK, 85 * scale));
    return;
  }
  const hatStep = upbeat || loud ? 1 : 2;
  for (let e = 0; e < 8; e += hatStep) {
    const open = upbeat && e === 7 && bar % 4 === 3;
    hit(bar, e, open ? OPEN_HAT : CLOSED_HAT, (e % 2 ? 48 : 62) * scale);
  }
  const kicks = upbeat ? [0, 2, 4, 6] : loud ? [0, 4, 5] : [0, 4];
  kicks.forEach((e) => hit(bar, e, KICK, 92 * scale));
  const backbeat = upbeat || loud ? SNARE : SIDE_STICK;
  if (d.sectionEnd && section.bars > 1) {
    // Fill into the next section: the last beat breaks into eighths on snare and tom.
    hit(bar, 2, backbeat, 85 * scale);
    hit(bar, 5, SNARE, 70 * scale);
    hit(bar, 6, SNARE, 80 * scale);
    hit(bar, 7, LOW_TOM, 85 * scale);
  } else {
    [2, 6].forEach((e) => hit(bar, e, backbeat, 85 * scale));
  }
}

/** Soft boom-bap: lazy kick, a snare on two and four, quiet swung hats. */
function lofiBar(d: DrumBar, hit: Hit, rng: Rng): void {
  const { bar, section, scale } = d;
  for (let e = 0; e < 8; e++) hit(bar, e, CLOSED_HAT, (e % 2 ? 30 : 44) * scale);
  if (section.name === 'intro') return;
  hit(bar, 0, KICK, 80 * scale);
  hit(bar, rng.chance(0.5) ? 5 : 3, KICK, 66 * scale);
  [2, 6].forEach((e) => hit(bar, e, SNARE, 64 * scale));
}

/** Brushes and ride: "ding, ding-a ding, ding-a", pedal hat on two and four, feathered kick. */
function jazzBar(d: DrumBar, hit: Hit, rng: Rng): void {
  const { bar, section, scale } = d;
  [0, 2, 3, 4, 6, 7].forEach((e) => hit(bar, e, RIDE, (e % 2 ? 46 : 62) * scale));
  [2, 6].forEach((e) => hit(bar, e, PEDAL_HAT, 50 * scale));
  if (section.name === 'intro') return;
  [0, 2, 4, 6].forEach((e) => hit(bar, e, KICK, 34 * scale));
  for (const e of [1, 3, 5, 7]) if (rng.chance(0.25)) hit(bar, e, SNARE, 32 * scale);
  if (d.sectionEnd && section.bars > 1) {
    hit(bar, 5, SNARE, 60 * scale);
    hit(bar, 7, SNARE, 72 * scale);
  }
}

/** Tambourine on the backbeat, a shaker when it lifts, a soft kick on one and three. */
function folkBar(d: DrumBar, hit: Hit): void {
  const { bar, section, scale, loud } = d;
  if (section.name === 'intro') return;
  [2, 6].forEach((e) => hit(bar, e, TAMBOURINE, 62 * scale));
  [0, 4].forEach((e) => hit(bar, e, KICK, 64 * scale));
  if (loud) for (let e = 0; e < 8; e++) hit(bar, e, SHAKER, (e % 2 ? 34 : 44) * scale);
}

/** Taiko-like toms under the loud sections, a snare roll and crash into each new section. */
function cinematicBar(d: DrumBar, hit: Hit): void {
  const { bar, section, scale } = d;
  if (section.name === 'intro') return;
  if (section.energy < 0.65) {
    hit(bar, 0, FLOOR_TOM, 60 * scale);
    return;
  }
  if (d.sectionStart && bar > 0) hit(bar, 0, CRASH, 84 * scale);
  [0, 3, 4].forEach((e) => hit(bar, e, FLOOR_TOM, 88 * scale));
  hit(bar, 0, KICK, 96 * scale);
  hit(bar, 6, LOW_TOM, 80 * scale);
  if (d.sectionEnd && section.bars > 1) {
    for (let s = 0; s < 8; s++) hit(bar, 4 + s / 2, SNARE, (50 + 6 * s) * scale);
  }
}

export function composeDrums(part: PartContext, rng: Rng): ScoreNote[] {
  const { plan, barTicks } = part;
  const notes: ScoreNote[] = [];
  const hit: Hit = (bar, eighth, pitch, velocity) => {
    notes.push({
      tick: bar * barTicks + Math.round(eighth * EIGHTH),
      duration: EIGHTH / 2,
      pitch,
      velocity: clampVelocity(velocity + rng.int(-6, 6)),
    });
  };
  for (const section of plan.form.sections) {
    for (let bar = section.startBar; bar < section.startBar + section.bars; bar++) {
      const scale = 0.7 + 0.4 * section.energy;
      if (bar === plan.form.bars - 1 && !plan.form.loop) {
        // The final downbeat; the styles with cymbals let one ring.
        if (plan.style !== 'folk' && plan.style !== 'lo-fi') hit(bar, 0, CRASH, 100 * scale);
        hit(bar, 0, KICK, 100 * scale);
        continue;
      }
      const d: DrumBar = {
        bar,
        section,
        scale,
        loud: section.energy >= 0.7,
        sectionStart: bar === section.startBar,
        sectionEnd: bar === section.startBar + section.bars - 1,
      };
      if (plan.style === 'lo-fi') lofiBar(d, hit, rng);
      else if (plan.style === 'jazz') jazzBar(d, hit, rng);
      else if (plan.style === 'folk') folkBar(d, hit);
      else if (plan.style === 'cinematic') cinematicBar(d, hit);
      else popBar(d, hit, plan.style === 'upbeat');
    }
  }
  return notes;
}
