import { z } from 'zod';
import { TONICS } from '../../music/plan/key.js';
import { MOODS, type PlanControls } from '../../music/plan/music-plan.js';
import { STYLES, type Style } from '../../music/styles/style-registry.js';
import { readTextCues } from '../../music/perception/text-cues.js';
import { AppError } from '../../lib/errors.js';

/** What the create page can set exactly; every field is optional. */
export const generationControlsSchema = z
  .object({
    style: z
      .custom<Style>((v) => typeof v === 'string' && (STYLES as readonly string[]).includes(v), {
        message: `style must be one of ${STYLES.join(', ')}`,
      })
      .optional(),
    mood: z.enum(MOODS).optional(),
    tempoBpm: z.number().int().min(50).max(180).optional(),
    instrument: z.string().trim().min(1).max(40).optional(),
    loop: z.boolean().optional(),
    /** The key's tonic, spelled as the signatures are (C, F#, Bb…); the mode may be set alone. */
    key: z.enum(TONICS).optional(),
    mode: z.enum(['major', 'minor']).optional(),
  })
  .strict();
export type GenerationControls = z.infer<typeof generationControlsSchema>;

/** Reading back: a key a later version dropped is ignored rather than refused. */
const storedControlsSchema = z.object(generationControlsSchema.shape).nullable();

/** The controls column as stored (JSON), checked; a row that is not one is a typed error. */
export function parseStoredControls(
  value: unknown,
  generationId: string,
): GenerationControls | null {
  const parsed = storedControlsSchema.safeParse(value ?? null);
  if (!parsed.success) {
    throw new AppError('internal', 'the stored choices of this piece could not be read', {
      generationId,
    });
  }
  return parsed.data;
}

// In a description "piano" asks for the piano-solo style; as a chosen lead it means the piano.
const PIANO = { program: 0, name: 'Acoustic Grand Piano' };
const PIANO_WORDS = new Set(['piano', 'grand piano', '钢琴']);

function resolveInstrument(word: string): PlanControls['instrument'] {
  const lower = word.trim().toLowerCase();
  if (PIANO_WORDS.has(lower)) return { word, ...PIANO };
  return readTextCues(word).instrument;
}

/** Refuses an instrument word the engine does not know, so the user learns it at submit time. */
export function validateControls(controls: GenerationControls): GenerationControls {
  if (controls.instrument && !resolveInstrument(controls.instrument)) {
    throw AppError.because(
      'instrument_unknown',
      `unknown instrument “${controls.instrument}”; try piano, violin, flute, 古筝…`,
      { instrument: controls.instrument },
    );
  }
  return controls;
}

/** The engine's form of the controls (instrument word → General MIDI program). */
export function toPlanControls(controls: GenerationControls | null): PlanControls | undefined {
  if (!controls) return undefined;
  const instrument = controls.instrument ? resolveInstrument(controls.instrument) : undefined;
  return {
    style: controls.style,
    mood: controls.mood,
    tempoBpm: controls.tempoBpm,
    instrument,
    key: controls.key || controls.mode ? { tonic: controls.key, mode: controls.mode } : undefined,
  };
}
