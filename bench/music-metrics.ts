/**
 * Score statistics for `npm run eval:music`: what a listener hears as "a tune on top, a theme that
 * comes back, a band that breathes", measured the same way on our scores and on the folk corpus.
 * Onsets are snapped to the nearest sixteenth first, so humanised timing does not count as a
 * different rhythm.
 */
import type { Score, ScoreNote, ScoreTrack } from '../src/music/compose/score.js';

export interface MelodyNote {
  tick: number;
  duration: number;
  pitch: number;
}

const DRUM_CHANNEL = 9;

export function snap(tick: number, ticksPerBeat: number): number {
  const sixteenth = ticksPerBeat / 4;
  return Math.round(tick / sixteenth) * sixteenth;
}

export function barTicksOf(
  score: Pick<Score, 'ticksPerBeat' | 'beatsPerBar' | 'beatUnit'>,
): number {
  return (score.ticksPerBeat * 4 * score.beatsPerBar) / score.beatUnit;
}

/** Onsets (ticks within the bar) that count as strong beats in this meter. */
export function strongOnsets(
  beatsPerBar: number,
  beatUnit: number,
  ticksPerBeat: number,
): number[] {
  const unit = (ticksPerBeat * 4) / beatUnit;
  if (beatUnit === 8 && beatsPerBar % 3 === 0) {
    // Compound meters: the dotted-quarter beats (6/8: 1 and 4; 9/8: 1, 4, 7; 12/8 …).
    return Array.from({ length: beatsPerBar / 3 }, (_, i) => i * 3 * unit);
  }
  if (beatsPerBar === 4) return [0, 2 * unit];
  return [0];
}

type BarContent = Set<string>;

/** Each bar's notes as "onset-in-bar:pitch" (relative: "onset:interval from the bar's first"). */
export function barContents(
  notes: readonly MelodyNote[],
  barTicks: number,
  ticksPerBeat: number,
  relative = false,
): Map<number, BarContent> {
  const bars = new Map<number, MelodyNote[]>();
  for (const note of notes) {
    const tick = snap(note.tick, ticksPerBeat);
    const bar = Math.floor(tick / barTicks);
    const list = bars.get(bar) ?? [];
    list.push({ ...note, tick });
    bars.set(bar, list);
  }
  const out = new Map<number, BarContent>();
  for (const [bar, list] of bars) {
    list.sort((a, b) => a.tick - b.tick || a.pitch - b.pitch);
    const first = list[0]?.pitch ?? 0;
    out.set(
      bar,
      new Set(
        list.map((n) => `${n.tick - bar * barTicks}:${relative ? n.pitch - first : n.pitch}`),
      ),
    );
  }
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

/**
 * Mean over bars (after the first) of the Jaccard similarity to the most similar earlier bar:
 * high when a tune restates its motifs, low when every bar is new.
 */
export function nearestEarlierBarSimilarity(
  notes: readonly MelodyNote[],
  barTicks: number,
  ticksPerBeat: number,
): number {
  const bars = [...barContents(notes, barTicks, ticksPerBeat).entries()].sort(
    (a, b) => a[0] - b[0],
  );
  const values: number[] = [];
  for (let i = 1; i < bars.length; i++) {
    const current = bars[i]?.[1];
    if (!current) continue;
    let best = 0;
    for (let j = 0; j < i; j++) best = Math.max(best, jaccard(current, bars[j]?.[1] ?? new Set()));
    values.push(best);
  }
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Share of exact bar repeats (a bar identical to some earlier bar). */
export function exactBarRepeats(
  notes: readonly MelodyNote[],
  barTicks: number,
  ticksPerBeat: number,
): number {
  const seen = new Set<string>();
  let repeats = 0;
  let total = 0;
  const bars = [...barContents(notes, barTicks, ticksPerBeat).entries()].sort(
    (a, b) => a[0] - b[0],
  );
  for (const [, content] of bars) {
    const key = [...content].sort().join(' ');
    if (seen.has(key)) repeats++;
    seen.add(key);
    total++;
  }
  return total === 0 ? 0 : repeats / total;
}

/**
 * Share of melody notes on strong beats whose pitch class is not in the chord sounding there.
 * `chordAt` returns the chord's pitch classes at a tick (undefined: no chord, not counted).
 */
export function strongBeatNonChordTones(
  notes: readonly MelodyNote[],
  chordAt: (tick: number) => readonly number[] | undefined,
  meter: { beatsPerBar: number; beatUnit: number; ticksPerBeat: number },
): { share: number; strong: number } {
  const barTicks = (meter.ticksPerBeat * 4 * meter.beatsPerBar) / meter.beatUnit;
  const strongSet = new Set(strongOnsets(meter.beatsPerBar, meter.beatUnit, meter.ticksPerBeat));
  let strong = 0;
  let nct = 0;
  for (const note of notes) {
    const tick = snap(note.tick, meter.ticksPerBeat);
    if (!strongSet.has(tick % barTicks)) continue;
    const chord = chordAt(tick);
    if (!chord || chord.length === 0) continue;
    strong++;
    if (!chord.includes(((note.pitch % 12) + 12) % 12)) nct++;
  }
  return { share: strong === 0 ? 0 : nct / strong, strong };
}

export function melodyRange(notes: readonly MelodyNote[]): number {
  if (notes.length === 0) return 0;
  const pitches = notes.map((n) => n.pitch);
  return Math.max(...pitches) - Math.min(...pitches);
}

// ---------------------------------------------------------------------------------------------
// Our scores

export function melodyOf(score: Score): ScoreNote[] {
  return score.tracks.filter((t) => t.role === 'melody').flatMap((t) => t.notes);
}

function accompaniment(score: Score): ScoreTrack[] {
  return score.tracks.filter((t) => t.role !== 'melody' && t.channel !== DRUM_CHANNEL);
}

/**
 * Share of melody notes strictly above every accompaniment note (chords, pad, bass, any other
 * pitched part) sounding at the melody note's onset.
 */
export function melodyAboveAccompaniment(score: Score): number {
  const others = accompaniment(score).flatMap((t) => t.notes);
  const melody = melodyOf(score);
  if (melody.length === 0) return 0;
  let above = 0;
  for (const m of melody) {
    let top = -1;
    for (const a of others) {
      if (a.tick <= m.tick && m.tick < a.tick + a.duration && a.pitch > top) top = a.pitch;
    }
    if (m.pitch > top) above++;
  }
  return above / melody.length;
}

export function sectionLengths(score: Score): { name: string; bars: number }[] {
  const barTicks = barTicksOf(score);
  return score.sections.map((s, i) => {
    const end = score.sections[i + 1]?.tick ?? score.endTick;
    return { name: s.name, bars: Math.round((end - s.tick) / barTicks) };
  });
}

export function sectionsOnGrid(score: Score): { onGrid: number; total: number } {
  const lengths = sectionLengths(score);
  return { onGrid: lengths.filter((s) => s.bars % 4 === 0).length, total: lengths.length };
}

/**
 * Whether the theme's opening comes back: the first two bars of melody of the first section that
 * has a tune, found again (exactly or transposed; Jaccard ≥ 0.6 of onset:interval pairs) as a
 * two-bar window that starts on a bar after that section has ended.
 */
export function themeReturns(score: Score): boolean {
  const barTicks = barTicksOf(score);
  const melody = melodyOf(score);
  if (melody.length === 0) return false;
  const lengths = sectionLengths(score);
  const firstBarWithTune = Math.floor(
    snap(Math.min(...melody.map((n) => n.tick)), score.ticksPerBeat) / barTicks,
  );
  // The section holding the first melody note.
  let cursor = 0;
  let themeEnd = 0;
  for (const s of lengths) {
    if (firstBarWithTune < cursor + s.bars) {
      themeEnd = cursor + s.bars;
      break;
    }
    cursor += s.bars;
  }
  const window = (start: number): Set<string> => {
    const notes = melody
      .map((n) => ({ ...n, tick: snap(n.tick, score.ticksPerBeat) }))
      .filter((n) => n.tick >= start * barTicks && n.tick < (start + 2) * barTicks)
      .sort((a, b) => a.tick - b.tick || a.pitch - b.pitch);
    const first = notes[0]?.pitch ?? 0;
    return new Set(notes.map((n) => `${n.tick - start * barTicks}:${n.pitch - first}`));
  };
  const opening = window(firstBarWithTune);
  if (opening.size < 2) return false;
  const bars = Math.round(score.endTick / barTicks);
  for (let bar = themeEnd; bar + 1 < bars; bar++) {
    if (jaccard(opening, window(bar)) >= 0.6) return true;
  }
  return false;
}

export function chordAtTick(score: Score): (tick: number) => readonly number[] | undefined {
  return (tick) =>
    score.chords.find((c) => c.tick <= tick && tick < c.tick + c.duration)?.pitchClasses;
}

const PEDAL_PROGRAMS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 46]);

export function controllerStats(score: Score): { events: number; pedalOnEveryPianoPart: boolean } {
  let events = 0;
  let pedal = true;
  for (const track of score.tracks) {
    const later = track.controls.filter((c) => c.tick > 0);
    events += later.length;
    if (track.channel !== DRUM_CHANNEL && PEDAL_PROGRAMS.has(track.program) && track.notes.length) {
      if (!later.some((c) => c.controller === 64 && c.value >= 64)) pedal = false;
    }
  }
  return { events, pedalOnEveryPianoPart: pedal };
}

export function drumBars(score: Score): Map<number, string> {
  const barTicks = barTicksOf(score);
  const bars = new Map<number, string[]>();
  for (const track of score.tracks.filter((t) => t.channel === DRUM_CHANNEL)) {
    for (const note of track.notes) {
      const tick = snap(note.tick, score.ticksPerBeat);
      const bar = Math.floor(tick / barTicks);
      const list = bars.get(bar) ?? [];
      list.push(`${tick - bar * barTicks}:${note.pitch}`);
      bars.set(bar, list);
    }
  }
  return new Map([...bars].map(([bar, hits]) => [bar, [...new Set(hits)].sort().join(' ')]));
}

export function distinctDrumBarShare(score: Score): number | undefined {
  const bars = drumBars(score);
  if (bars.size === 0) return undefined;
  return new Set(bars.values()).size / bars.size;
}

/** Share of bar positions where two scores (two seeds) play exactly the same drum bar. */
export function identicalDrumBars(a: Score, b: Score): number | undefined {
  const barsA = drumBars(a);
  const barsB = drumBars(b);
  let same = 0;
  let total = 0;
  for (const [bar, content] of barsA) {
    const other = barsB.get(bar);
    if (other === undefined) continue;
    total++;
    if (other === content) same++;
  }
  return total === 0 ? undefined : same / total;
}

/** Share of chords with a pitch class outside the key (minor: natural minor plus the leading tone). */
export function nonDiatonicChordShare(score: Score, tonicPc: number, minor: boolean): number {
  const scale = (minor ? [0, 2, 3, 5, 7, 8, 10, 11] : [0, 2, 4, 5, 7, 9, 11]).map(
    (s) => (tonicPc + s) % 12,
  );
  if (score.chords.length === 0) return 0;
  const outside = score.chords.filter((c) => c.pitchClasses.some((pc) => !scale.includes(pc)));
  return outside.length / score.chords.length;
}
