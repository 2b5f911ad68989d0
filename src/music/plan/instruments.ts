/** General MIDI instruments the engine writes, by the name the styles use for them. */

export interface GmInstrument {
  /** General MIDI program number, 0-based (0 = Acoustic Grand Piano). */
  program: number;
  name: string;
}

export interface Instrumentation {
  melody: GmInstrument;
  chords: GmInstrument;
  bass: GmInstrument;
  /** Sustained strings under the louder sections; null when the style has none. */
  pad: GmInstrument | null;
  /** Drum kit (program on MIDI channel 10); null for no drums. */
  drums: GmInstrument | null;
}

export const INSTRUMENTS = {
  piano: { program: 0, name: 'Acoustic Grand Piano' },
  brightPiano: { program: 1, name: 'Bright Acoustic Piano' },
  electricPiano: { program: 4, name: 'Electric Piano 1' },
  celesta: { program: 8, name: 'Celesta' },
  vibraphone: { program: 11, name: 'Vibraphone' },
  nylonGuitar: { program: 24, name: 'Acoustic Guitar (nylon)' },
  steelGuitar: { program: 25, name: 'Acoustic Guitar (steel)' },
  jazzGuitar: { program: 26, name: 'Electric Guitar (jazz)' },
  harmonica: { program: 22, name: 'Harmonica' },
  accordion: { program: 21, name: 'Accordion' },
  contrabass: { program: 43, name: 'Contrabass' },
  frenchHorn: { program: 60, name: 'French Horn' },
  mutedTrumpet: { program: 59, name: 'Muted Trumpet' },
  sawLead: { program: 81, name: 'Lead 2 (sawtooth)' },
  polySynth: { program: 90, name: 'Pad 3 (polysynth)' },
  acousticBass: { program: 32, name: 'Acoustic Bass' },
  fingerBass: { program: 33, name: 'Electric Bass (finger)' },
  synthBass: { program: 38, name: 'Synth Bass 1' },
  violin: { program: 40, name: 'Violin' },
  cello: { program: 42, name: 'Cello' },
  harp: { program: 46, name: 'Orchestral Harp' },
  strings: { program: 48, name: 'String Ensemble 1' },
  slowStrings: { program: 49, name: 'String Ensemble 2' },
  trumpet: { program: 56, name: 'Trumpet' },
  altoSax: { program: 65, name: 'Alto Sax' },
  oboe: { program: 68, name: 'Oboe' },
  clarinet: { program: 71, name: 'Clarinet' },
  flute: { program: 73, name: 'Flute' },
  whistle: { program: 78, name: 'Whistle' },
  squareLead: { program: 80, name: 'Lead 1 (square)' },
  newAgePad: { program: 88, name: 'Pad 1 (new age)' },
  warmPad: { program: 89, name: 'Pad 2 (warm)' },
  choirPad: { program: 91, name: 'Pad 4 (choir)' },
  haloPad: { program: 94, name: 'Pad 7 (halo)' },
  standardKit: { program: 0, name: 'Standard Kit' },
  brushKit: { program: 40, name: 'Brush Kit' },
  jazzKit: { program: 32, name: 'Jazz Kit' },
  // Colours only what a picture shows suggests (perception/content-steering.ts); no style's band
  // plays them.
  glockenspiel: { program: 9, name: 'Glockenspiel' },
  tremoloStrings: { program: 44, name: 'Tremolo Strings' },
  pizzicato: { program: 45, name: 'Pizzicato Strings' },
  timpani: { program: 47, name: 'Timpani' },
} as const satisfies Record<string, GmInstrument>;
