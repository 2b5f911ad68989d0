import { AppError } from '../lib/errors.js';
import { composeScore } from './compose.js';
import { extractImageFeatures, type ImageFeatures } from './image-features.js';
import { masterAudio, type MasterReport } from './master.js';
import { writeScoreToMidi } from './midi-file.js';
import { encodeMp3 } from './mp3-encode.js';
import { createMusicPlan, PLAN_VERSION, TAIL_SECONDS, type MusicPlan } from './music-plan.js';
import { renderMidi, SAMPLE_RATE } from './render.js';
import { loadSoundFont } from './soundfont.js';
import { readTextCues } from './text-cues.js';

/**
 * The engine's entrypoint: image + text → perception → plan → score → MIDI → audio → master →
 * MP3. Pure with respect to its inputs: the same image bytes, text, seconds and seed give
 * byte-identical MIDI and MP3 (no clocks, no Math.random; timing is measured, never used).
 */

export type ComposeStage = 'analysing' | 'composing' | 'rendering' | 'encoding';

export interface ComposeRequest {
  /** Already validated JPEG/PNG/WebP bytes. */
  image: Uint8Array;
  /** Optional user description (English or Chinese). */
  text?: string | undefined;
  /** 10..180 */
  seconds: number;
  /** uint32 */
  seed: number;
  onProgress?: ((stage: ComposeStage) => void | Promise<void>) | undefined;
}

export interface ComposedTrack {
  mp3: Uint8Array;
  midi: Uint8Array;
  plan: MusicPlan;
  features: ImageFeatures;
  durationSeconds: number;
}

export interface ComposeReport {
  /** Wall-clock milliseconds per step, for benchmarks and logs. */
  timingsMs: {
    perception: number;
    compose: number;
    soundFont: number;
    render: number;
    master: number;
    encode: number;
    total: number;
  };
  master: MasterReport;
}

export const MIN_SECONDS = 10;
export const MAX_SECONDS = 180;

function validate(req: ComposeRequest): void {
  if (!Number.isFinite(req.seconds) || req.seconds < MIN_SECONDS || req.seconds > MAX_SECONDS) {
    throw new AppError(
      'validation_failed',
      `seconds must be between ${MIN_SECONDS} and ${MAX_SECONDS}`,
      {
        seconds: req.seconds,
      },
    );
  }
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffff_ffff) {
    throw new AppError('validation_failed', 'seed must be an integer from 0 to 4294967295', {
      seed: req.seed,
    });
  }
  if (req.image.byteLength === 0) {
    throw new AppError('unprocessable_image', 'the image is empty');
  }
}

async function perceive(image: Uint8Array): Promise<ImageFeatures> {
  try {
    return await extractImageFeatures(image);
  } catch (error) {
    // sharp's messages ("Input buffer contains unsupported image format", pixel limit…) are
    // safe to show and tell the user what to fix.
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('unprocessable_image', `could not read the image: ${reason}`);
  }
}

export async function composeTrackWithReport(
  req: ComposeRequest,
): Promise<{ track: ComposedTrack; report: ComposeReport }> {
  validate(req);
  const started = performance.now();
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return Math.round(elapsed);
  };

  await req.onProgress?.('analysing');
  const features = await perceive(req.image);
  const text = readTextCues(req.text);
  const perception = lap();

  await req.onProgress?.('composing');
  const plan = createMusicPlan({ features, text, seconds: req.seconds });
  const score = composeScore(plan, req.seed);
  const midi = writeScoreToMidi(
    score,
    `Instune engine v0 (plan v${PLAN_VERSION}), seed ${req.seed}. AI-generated music.`,
  );
  const compose = lap();

  await req.onProgress?.('rendering');
  const soundBank = await loadSoundFont();
  const soundFont = lap();
  const audio = await renderMidi(midi, {
    soundBank,
    seconds: score.durationSeconds + TAIL_SECONDS,
    sampleRate: SAMPLE_RATE,
  });
  const render = lap();
  const { report: masterReport } = masterAudio(audio, { fadeOutSeconds: TAIL_SECONDS * 0.8 });
  const master = lap();

  await req.onProgress?.('encoding');
  const mp3 = await encodeMp3(audio);
  const encode = lap();

  return {
    track: {
      mp3,
      midi,
      plan,
      features,
      durationSeconds: Math.round((audio.left.length / audio.sampleRate) * 1000) / 1000,
    },
    report: {
      timingsMs: {
        perception,
        compose,
        soundFont,
        render,
        master,
        encode,
        total: Math.round(performance.now() - started),
      },
      master: masterReport,
    },
  };
}

export async function composeTrack(req: ComposeRequest): Promise<ComposedTrack> {
  return (await composeTrackWithReport(req)).track;
}
