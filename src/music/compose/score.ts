/** The score's shape, shared by every composer version, the MIDI writer and the analyses. */

export const TICKS_PER_BEAT = 480;

export type PartRole = 'melody' | 'chords' | 'bass' | 'pad' | 'drums';

export interface ScoreNote {
  tick: number;
  duration: number;
  pitch: number;
  velocity: number;
}

export interface ScoreControl {
  tick: number;
  controller: number;
  value: number;
}

export interface ScoreTrack {
  role: PartRole;
  name: string;
  channel: number;
  program: number;
  notes: ScoreNote[];
  controls: ScoreControl[];
}

export interface ScoreChord {
  tick: number;
  duration: number;
  name: string;
  pitchClasses: number[];
}

export interface Score {
  title: string;
  ticksPerBeat: number;
  beatsPerBar: number;
  beatUnit: number;
  keySignature: { fifths: number; minor: boolean };
  tempoChanges: { tick: number; microsecondsPerBeat: number }[];
  sections: { tick: number; name: string }[];
  chords: ScoreChord[];
  tracks: ScoreTrack[];
  endTick: number;
  /** Playing time of the notes, from the tempo map (without any release tail). */
  durationSeconds: number;
}
