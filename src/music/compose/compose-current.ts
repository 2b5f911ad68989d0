import { Note } from 'tonal';
import type { MusicPlan } from '../plan/music-plan.js';
import type { GmInstrument } from '../plan/instruments.js';
import { LEFT_HAND_CEILING, registerOf } from '../plan/register.js';
import { RITARDANDO_BARS } from '../plan/form.js';
import { tempoMap } from '../plan/tempo-map.js';
import { deriveRng, hashString, type Rng } from '../random.js';
import type { PartMix } from '../styles/style-declaration.js';
import { requireStyle } from '../styles/style-registry.js';
import { composeAccompaniment, composePad, type PartBounds } from './accompaniment.js';
import { arrange, type SectionArrangement } from './arrangement.js';
import { composeBass } from './bass.js';
import { keyInfo } from './chord.js';
import { composeDrums } from './drums.js';
import {
  articulate,
  Dynamics,
  humanise,
  pedalling,
  vibrato,
  shapeVelocities,
  swells,
} from './expression.js';
import { planHarmony } from './harmony-plan.js';
import { applySwing, tidy } from './note-edits.js';
import { climaxBarOf, composeMelody, type MelodyNote } from './melody.js';
import { meterOf } from './meter.js';
import { materialOf, planPhrases } from './phrases.js';
import {
  TICKS_PER_BEAT,
  type PartRole,
  type Score,
  type ScoreControl,
  type ScoreNote,
  type ScoreTrack,
} from './score.js';

/** The first plan version whose last bar is held by the form's fermata (see PLAN_VERSION). */
const HELD_ENDING_FROM = 6;

/**
 * The current composer (plan v5 and later): plan + seed → score. Form and phrases → harmony per
 * phrase → the tune → accompaniment, pad and bass voiced under the tune → drums → arrangement and
 * expression. Every choice draws from a named stream of the seed, so the same plan and seed give
 * the same notes, and the seed changes the take: figures, grooves, fills as well as the tune.
 */

const DRUM_CHANNEL = 9;
/** Semitones above its floor an accompanying instrument voices at most. */
const COMFORT_SPAN = 19;
/** Ticks either side of a chord the tune is looked at: humanising moves notes this far. */
const HUMANISE_MARGIN = 40;

/** The lowest melody note sounding over [from, to), or undefined when the tune rests. */
function melodyFloor(melody: readonly MelodyNote[], from: number, to: number): number | undefined {
  let low: number | undefined;
  for (const note of melody) {
    if (note.tick >= to) break;
    if (note.tick + note.duration <= from) continue;
    if (low === undefined || note.pitch < low) low = note.pitch;
  }
  return low;
}

function boundsFor(
  melody: readonly MelodyNote[],
  instrument: GmInstrument,
  restingCeiling: number,
  gap: number,
  cap: number,
): PartBounds {
  return {
    floor: registerOf(instrument).chordFloor,
    // Under the tune, and no higher than the instrument's comfortable accompanying register,
    // so the chords keep their place instead of climbing after the melody.
    ceilingFor: (from, to) =>
      Math.min(
        cap,
        registerOf(instrument).chordFloor + COMFORT_SPAN,
        (melodyFloor(melody, from - HUMANISE_MARGIN, to + HUMANISE_MARGIN) ??
          restingCeiling + gap) - gap,
      ),
  };
}

/** Whole ticks and velocities in range, as MIDI stores them. */
function rounded(note: ScoreNote): ScoreNote {
  return {
    tick: Math.round(note.tick),
    duration: Math.max(1, Math.round(note.duration)),
    pitch: note.pitch,
    velocity: Math.max(1, Math.min(127, Math.round(note.velocity))),
  };
}

function controlsFor(mix: PartMix): ScoreControl[] {
  return [
    { tick: 0, controller: 7, value: mix.level },
    { tick: 0, controller: 10, value: mix.pan },
    { tick: 0, controller: 91, value: mix.reverb },
    { tick: 0, controller: 93, value: mix.chorus },
  ];
}

export function composeCurrentScore(plan: MusicPlan, seed: number): Score {
  const style = requireStyle(plan.style);
  const composition = style.composition;
  const meter = meterOf(plan.meter.beatsPerBar, plan.meter.beatUnit);
  const tonicPc = Note.chroma(plan.key.tonic);
  const key = keyInfo(tonicPc, plan.key.mode === 'minor', plan.key.fifths);
  const loop = plan.form.loop;
  const totalBars = plan.form.bars;
  const endTick = totalBars * meter.barTicks;
  const finalBarTick = loop ? endTick : endTick - meter.barTicks;
  const mixed = hashString(
    `${plan.key.name}|${plan.style}|${plan.melody.contour.join(',')}`,
    seed >>> 0,
  );
  const { instrumentation } = plan;

  const phrases = planPhrases(plan.form.sections, loop);
  const slots = planHarmony(phrases, key, composition.harmony, meter, {
    progression: deriveRng(mixed, 'harmony'),
    colour: deriveRng(mixed, 'harmony-colour'),
  });
  const climaxBar = climaxBarOf(phrases);
  const shared = instrumentation.melody.program === instrumentation.chords.program;
  const melodyLow = plan.melody.low ?? plan.melody.homeNote - 5;
  const melody = composeMelody(
    {
      phrases,
      slots,
      key,
      meter,
      home: plan.melody.homeNote,
      low: melodyLow,
      high: plan.melody.high ?? plan.melody.homeNote + 17,
      density: plan.melody.density,
      contour: plan.melody.contour,
      phrasing: composition.phrasing,
      totalBars,
      contourSpan: plan.melody.contourSpan ?? totalBars,
      climaxBar,
    },
    deriveRng(mixed, 'melody'),
  ).sort((a, b) => a.tick - b.tick);
  if (!loop) {
    // The last note is the tonic, held to the end of the piece.
    const last = melody[melody.length - 1];
    if (last) last.duration = Math.max(last.duration, endTick - last.tick);
  }

  const sections = plan.form.sections.map((s, i) => ({
    startBar: s.startBar,
    bars: s.bars,
    energy: s.energy,
    material: materialOf(s),
    lastBody: i === plan.form.sections.filter((x) => x.name !== 'outro').length - 1,
  }));
  const arrangement = arrange(
    sections,
    composition,
    meter,
    instrumentation.pad !== null,
    instrumentation.drums !== null && composition.drums !== null,
    loop,
    deriveRng(mixed, 'arrangement'),
    plan.textures ?? [],
  );

  // Accompaniment under the tune: a gap of a semitone at least (a whole tone for the same
  // instrument), and a piano solo's left hand below C4.
  const gap = shared ? 2 : 1;
  const cap = shared ? LEFT_HAND_CEILING : 127;
  const resting = melodyLow - 1;
  const chords = composeAccompaniment(
    {
      slots,
      meter,
      sections: arrangement.map((a) => ({
        startTick: a.startTick,
        endTick: a.endTick,
        figure: a.chords,
        level: a.level,
      })),
      bounds: boundsFor(melody, instrumentation.chords, resting, gap, cap),
      size: composition.harmony.extensions === 'triads' ? 3 : 4,
      // Only a guitar strums; other chord instruments strike their notes together.
      strum:
        registerOf(instrumentation.chords).family === 'guitar' ? composition.phrasing.strum : 0,
      finalTick: finalBarTick,
    },
    deriveRng(mixed, 'chords'),
  );
  const pad = instrumentation.pad
    ? composePad({
        slots,
        sections: arrangement
          .filter((a) => a.pad)
          .map((a) => ({ startTick: a.startTick, endTick: a.endTick, level: a.level })),
        bounds: boundsFor(melody, instrumentation.pad, resting, gap + 1, cap),
      })
    : [];
  const bassRegister = shared ? { low: 31, high: 55 } : { low: 33, high: 52 };
  const bass = composeBass(
    {
      slots,
      key,
      meter,
      sections: arrangement
        .filter(
          (a): a is SectionArrangement & { bass: NonNullable<SectionArrangement['bass']> } =>
            a.bass !== null,
        )
        .map((a) => ({
          startTick: a.startTick,
          endTick: a.endTick,
          figure: a.bass,
          level: a.level,
        })),
      low: bassRegister.low,
      high: bassRegister.high,
      octaveDoubling: shared,
      doublingCeiling: cap,
      finalTick: finalBarTick,
    },
    deriveRng(mixed, 'bass'),
  );
  const drums =
    instrumentation.drums && composition.drums
      ? composeDrums(
          {
            decl: composition.drums,
            meter,
            sections: [
              ...arrangement.map((a) => ({
                startTick: a.startTick,
                endTick: Math.min(a.endTick, finalBarTick),
                tier: a.drums,
                level: a.level,
                crash: a.crash,
                silentBars: a.drumsSilentBars,
              })),
              ...(loop
                ? []
                : [
                    {
                      startTick: finalBarTick,
                      endTick,
                      tier: 'final-hit' as const,
                      level: 0.8,
                      crash: false,
                      silentBars: 0,
                    },
                  ]),
            ],
            finalTick: endTick,
            finalCrash: style.id !== 'folk' && style.id !== 'lo-fi',
          },
          deriveRng(mixed, 'drums'),
        )
      : [];

  // Expression: dynamics, articulation, swing, timing.
  const dynamics = new Dynamics(phrases, meter, climaxBar);
  // One stream per part, so a longer piece (an extension) keeps every earlier note as it was.
  const expression = (part: PartRole): Rng => deriveRng(mixed, `expression-${part}`);
  const melodyNotes: ScoreNote[] = melody.map((n) => ({
    tick: n.tick,
    duration: n.duration,
    pitch: n.pitch,
    velocity: 64,
  }));
  shapeVelocities(melodyNotes, dynamics, meter, 62, 44, expression('melody'));
  shapeVelocities(chords, dynamics, meter, 44, 34, expression('chords'));
  shapeVelocities(pad, dynamics, meter, 40, 30, expression('pad'));
  shapeVelocities(bass, dynamics, meter, 62, 30, expression('bass'));
  articulate(melodyNotes, composition.phrasing.melody, endTick);
  for (const notes of [melodyNotes, chords, bass, drums]) applySwing(notes, plan.swing);
  humanise(melodyNotes, deriveRng(mixed, 'timing-melody'), 8, meter);
  humanise(chords, deriveRng(mixed, 'timing-chords'), 5, meter);
  humanise(bass, deriveRng(mixed, 'timing-bass'), 3, meter);
  humanise(drums, deriveRng(mixed, 'timing-drums'), 3, meter);

  const mix = style.mix;
  const partControls = (role: PartRole, instrument: GmInstrument): ScoreControl[] => {
    const register = registerOf(instrument);
    const controls = controlsFor(mix[role]);
    controls.push({ tick: 0, controller: 11, value: 100 });
    if (register.pedal) {
      controls.push({ tick: 0, controller: 64, value: 0 }, ...pedalling(slots, endTick));
    } else if (register.sustained && role !== 'drums') {
      controls.push(...swells(dynamics, endTick, loop, role === 'melody' ? 78 : 66));
      if (role === 'melody') controls.push(...vibrato(melodyNotes, endTick));
    }
    return controls;
  };
  const track = (
    role: PartRole,
    channel: number,
    instrument: GmInstrument,
    notes: readonly ScoreNote[],
    name: string,
  ): ScoreTrack => ({
    role,
    name: `${name} (${instrument.name})`,
    channel,
    program: instrument.program,
    notes: tidy(notes.map(rounded), endTick),
    controls: role === 'drums' ? controlsFor(mix.drums) : partControls(role, instrument),
  });
  const tracks: ScoreTrack[] = [
    track('melody', 0, instrumentation.melody, melodyNotes, 'Melody'),
    track('chords', 1, instrumentation.chords, chords, 'Chords'),
    track('bass', 2, instrumentation.bass, bass, 'Bass'),
  ];
  if (instrumentation.pad) tracks.push(track('pad', 3, instrumentation.pad, pad, 'Pad'));
  if (instrumentation.drums)
    tracks.push(track('drums', DRUM_CHANNEL, instrumentation.drums, drums, 'Drums'));

  const tempo = tempoMap(
    plan.tempoBpm,
    meter.barTicks,
    totalBars,
    loop ? 1 : plan.form.ritardando,
    RITARDANDO_BARS,
    // The hold the form was fitted with (plans before v6 were composed without it).
    loop || plan.version < HELD_ENDING_FROM ? 0 : (plan.form.fermata ?? 0),
  );
  return {
    title: `Instune - ${plan.key.name}, ${plan.style}`,
    ticksPerBeat: TICKS_PER_BEAT,
    beatsPerBar: meter.beatsPerBar,
    beatUnit: meter.beatUnit,
    keySignature: { fifths: plan.key.fifths, minor: plan.key.mode === 'minor' },
    tempoChanges: tempo.changes,
    sections: plan.form.sections.map((s) => ({ tick: s.startBar * meter.barTicks, name: s.name })),
    chords: slots.map((s) => ({
      tick: s.tick,
      duration: s.duration,
      name: s.chord.symbol,
      pitchClasses: s.chord.pcs,
    })),
    tracks,
    endTick,
    durationSeconds: tempo.seconds,
  };
}
