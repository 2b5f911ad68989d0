import { deriveRng, hashString, type Rng } from '../../random.js';
import {
  TICKS_PER_BEAT,
  type Score,
  type ScoreControl,
  type ScoreNote,
  type ScoreTrack,
} from '../score.js';
import { composeBass, composeChords, composePad } from './legacy-accompaniment.js';
import { DRUM_CHANNEL, type PartContext } from './legacy-common.js';
import { applySwing, tidy } from '../note-edits.js';
import { composeDrums } from './legacy-drums.js';
import { buildKeyContext, planHarmony } from './legacy-harmony.js';
import { composeMelody } from './legacy-melody.js';
import type { LegacyPlan, LegacyStyle } from './legacy-plan.js';

/**
 * The composer of plan versions 1–4, kept as it was so that a stored plan (a variation asked for
 * within the music's 24 hours) replays note for note. Seeded composition: plan + seed → a
 * multi-track score in ticks. Every choice draws from a per-part stream of the seed (random.ts),
 * so the same plan and seed always give the same notes. Frozen: fix nothing here that would
 * change a note; new behaviour belongs to the current composer.
 */
// ---------------------------------------------------------------------------------------------
// Assembly

/** Small timing offsets so the parts breathe; drums and downbeats of the bar stay on the grid. */
function humanise(notes: ScoreNote[], rng: Rng, maxTicks: number): void {
  for (const note of notes) {
    if (note.tick === 0) continue;
    const shift = rng.int(-maxTicks, maxTicks);
    note.tick = Math.max(0, note.tick + shift);
  }
}

// Channel volumes (CC7) per style, set by ear against the melody at 112.
const CHORD_VOLUME: Record<LegacyStyle, number> = {
  ambient: 108,
  'pop-ballad': 96,
  upbeat: 84,
  'lo-fi': 92,
  cinematic: 100,
  folk: 100,
  'piano-solo': 88,
  jazz: 84,
};
const BASS_VOLUME: Record<LegacyStyle, number> = {
  ambient: 96,
  'pop-ballad': 86,
  upbeat: 86,
  'lo-fi': 92,
  cinematic: 96,
  folk: 86,
  'piano-solo': 84,
  jazz: 100,
};
const DRUM_VOLUME: Record<LegacyStyle, number> = {
  ambient: 84,
  'pop-ballad': 84,
  upbeat: 96,
  'lo-fi': 82,
  cinematic: 92,
  folk: 80,
  'piano-solo': 84,
  jazz: 80,
};

export function composeLegacyScore(plan: LegacyPlan, seed: number): Score {
  if (plan.meter.beatsPerBar !== 4 || plan.meter.beatUnit !== 4) {
    throw new Error('engine v0 composes in 4/4 only');
  }
  const ctx = buildKeyContext(plan);
  // Mix the image's reading into the seed: two different pictures given the same seed should
  // not share a motif just because their plans happen to have the same density.
  const mixed = hashString(
    `${plan.key.name}|${plan.style}|${plan.melody.contour.join(',')}`,
    seed >>> 0,
  );
  const barTicks = TICKS_PER_BEAT * plan.meter.beatsPerBar;
  const slots = planHarmony(plan, ctx, deriveRng(mixed, 'harmony'));
  const part: PartContext = { plan, ctx, slots, barTicks };
  const endTick = plan.form.bars * barTicks;
  const { instrumentation } = plan;

  const melody = composeMelody(part, deriveRng(mixed, 'melody'));
  const chords = composeChords(part, deriveRng(mixed, 'chords'));
  const bass = composeBass(part, deriveRng(mixed, 'bass'));
  const drums = instrumentation.drums ? composeDrums(part, deriveRng(mixed, 'drums')) : [];
  for (const notes of [melody, chords, bass, drums]) applySwing(notes, plan.swing);
  const humaniser = deriveRng(mixed, 'humanise');
  humanise(melody, humaniser, 8);
  humanise(chords, humaniser, 5);

  // Channel volume (CC7), pan (CC10), reverb (CC91) and chorus (CC93) sends. Levels were set by
  // rendering each part alone (RMS): the melody sits on top, ~2–6 dB above each other part.
  const mix = (volume: number, pan: number, reverb: number, chorus = 0): ScoreControl[] => [
    { tick: 0, controller: 7, value: volume },
    { tick: 0, controller: 10, value: pan },
    { tick: 0, controller: 91, value: reverb },
    { tick: 0, controller: 93, value: chorus },
  ];
  const tracks: ScoreTrack[] = [
    {
      role: 'melody',
      name: `Melody (${instrumentation.melody.name})`,
      channel: 0,
      program: instrumentation.melody.program,
      notes: tidy(melody, endTick),
      controls: mix(112, plan.style === 'piano-solo' ? 70 : 68, plan.reverb),
    },
    {
      role: 'chords',
      name: `Chords (${instrumentation.chords.name})`,
      channel: 1,
      program: instrumentation.chords.program,
      notes: tidy(chords, endTick),
      controls: mix(
        CHORD_VOLUME[plan.style],
        plan.style === 'piano-solo' ? 58 : 48,
        plan.reverb,
        plan.style === 'ambient' ? 40 : plan.style === 'lo-fi' ? 30 : 10,
      ),
    },
    {
      role: 'bass',
      name: `Bass (${instrumentation.bass.name})`,
      channel: 2,
      program: instrumentation.bass.program,
      notes: tidy(bass, endTick),
      controls: mix(
        BASS_VOLUME[plan.style],
        plan.style === 'piano-solo' ? 56 : 64,
        Math.round(plan.reverb / 3),
      ),
    },
  ];
  if (instrumentation.pad) {
    tracks.push({
      role: 'pad',
      name: `Pad (${instrumentation.pad.name})`,
      channel: 3,
      program: instrumentation.pad.program,
      notes: tidy(composePad(part), endTick),
      controls: mix(76, 84, plan.reverb, 30),
    });
  }
  if (instrumentation.drums) {
    tracks.push({
      role: 'drums',
      name: `Drums (${instrumentation.drums.name})`,
      channel: DRUM_CHANNEL,
      program: instrumentation.drums.program,
      notes: tidy(drums, endTick),
      controls: mix(DRUM_VOLUME[plan.style], 64, Math.round(plan.reverb / 2)),
    });
  }

  const microsecondsPerBeat = Math.round(60_000_000 / plan.tempoBpm);
  const finalBeat = Math.round(60_000_000 / (plan.tempoBpm * plan.form.ritardando));
  const lastBarTick = (plan.form.bars - 1) * barTicks;
  const tempoChanges = [{ tick: 0, microsecondsPerBeat }];
  if (plan.form.ritardando !== 1)
    tempoChanges.push({ tick: lastBarTick, microsecondsPerBeat: finalBeat });
  const durationSeconds =
    ((plan.form.bars - 1) * plan.meter.beatsPerBar * microsecondsPerBeat +
      plan.meter.beatsPerBar * (plan.form.ritardando !== 1 ? finalBeat : microsecondsPerBeat)) /
    1_000_000;

  return {
    title: `Instune - ${plan.key.name}, ${plan.style}`,
    ticksPerBeat: TICKS_PER_BEAT,
    beatsPerBar: plan.meter.beatsPerBar,
    beatUnit: plan.meter.beatUnit,
    keySignature: { fifths: plan.key.fifths, minor: plan.key.mode === 'minor' },
    tempoChanges,
    sections: plan.form.sections.map((s) => ({ tick: s.startBar * barTicks, name: s.name })),
    chords: slots.map((s) => ({
      tick: s.startBar * barTicks,
      duration: s.bars * barTicks,
      name: s.name,
      pitchClasses: s.pcs,
    })),
    tracks,
    endTick,
    durationSeconds,
  };
}
