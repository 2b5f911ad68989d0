import { createHash } from 'node:crypto';
import { EngineError } from './engine-error.js';
import { audibleLabelOverlay } from './label/aigc-cue.js';
import { labelMidi, labelMp3 } from './label/aigc-label.js';
import { composeScore } from './compose/compose-score.js';
import type { ImageFeatures } from './perception/image-features.js';
import { perceiveImage } from './perception/image-perception.js';
import { readingOf, type ImageReading } from './plan/content-choices.js';
import { masterAudio, type MasterReport } from './master/master.js';
import { writeScoreToMidi } from './encode/midi-file.js';
import { encodeMp3 } from './encode/mp3-encode.js';
import {
  createMusicPlan,
  TAIL_SECONDS,
  type MusicPlan,
  type PlanControls,
} from './plan/music-plan.js';
import { renderMidi, SAMPLE_RATE, type StereoAudio } from './render/render.js';
import { loadSoundFont } from './render/soundfont.js';
import { readTextCues } from './perception/text-cues.js';
import { encodeWav } from './encode/wav-encode.js';

/**
 * The engine's entrypoint: image + text → perception → plan → score → MIDI → audio → master →
 * MP3 + WAV. Pure with respect to its inputs: the same image bytes, text, seconds, seed, loop
 * flag and produce id give byte-identical files (no clocks, no Math.random; timing is measured,
 * never used). Every audio file carries both AI-content labels (GB 45438-2025): the audible
 * short-long-short-short bell at the start and the implicit AIGC metadata, read back on write.
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
  /**
   * The generation id, written as the AIGC label's ProduceID. Without one, an id is derived
   * from the inputs, so the output stays a pure function of the request.
   */
  produceId?: string | undefined;
  /** Seamless loop: no ending, an exact number of bars, the reverb tail wrapped onto the start. */
  loop?: boolean | undefined;
  /** Explicit choices from the create page; they outrank the image and the words. */
  controls?: PlanControls | undefined;
  /**
   * A variation: compose this existing plan again (with a new seed) instead of perceiving an
   * image; `image`, `text`, `controls` and `loop` are then ignored. Lets a user ask for
   * variations after the uploaded image has been deleted.
   */
  from?: { plan: MusicPlan; features: ImageFeatures } | undefined;
  onProgress?: ((stage: ComposeStage) => void | Promise<void>) | undefined;
}

export interface ComposedTrack {
  /** 192 kbps CBR MP3 with an ID3v2.4 TXXX:AIGC label. */
  mp3: Uint8Array;
  /** 16-bit 44.1 kHz stereo PCM WAV with a RIFF AIGC chunk. */
  wav: Uint8Array;
  /** Standard MIDI File (format 1) whose last track carries the AIGC label as a text event. */
  midi: Uint8Array;
  /** ProduceID in the files' AIGC labels. */
  produceId: string;
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
    throw new EngineError(
      'invalid_request',
      `seconds must be between ${MIN_SECONDS} and ${MAX_SECONDS}`,
      {
        seconds: req.seconds,
      },
    );
  }
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffff_ffff) {
    throw new EngineError('invalid_request', 'seed must be an integer from 0 to 4294967295', {
      seed: req.seed,
    });
  }
  if (req.produceId !== undefined && !/^[\x21-\x7e]{1,128}$/.test(req.produceId)) {
    throw new EngineError('invalid_request', 'produceId must be 1..128 printable ASCII characters');
  }
  if (!req.from && req.image.byteLength === 0) {
    throw new EngineError('unreadable_image', 'the image is empty');
  }
}

function deriveProduceId(req: ComposeRequest): string {
  const hash = createHash('sha256')
    .update(req.from ? JSON.stringify(req.from.plan) : req.image)
    .update(`\0${req.text ?? ''}\0${req.seconds}\0${req.seed}\0${req.loop === true}`)
    .digest('hex');
  return `instune-${hash.slice(0, 32)}`;
}

/** Adds everything after `length` samples back onto the start, then cuts to `length`. */
function wrapTail(audio: StereoAudio, length: number): StereoAudio {
  const left = audio.left.slice(0, length);
  const right = audio.right.slice(0, length);
  for (let i = length; i < audio.left.length; i++) {
    const j = (i - length) % length;
    left[j] = (left[j] ?? 0) + (audio.left[i] ?? 0);
    right[j] = (right[j] ?? 0) + (audio.right[i] ?? 0);
  }
  return { sampleRate: audio.sampleRate, left, right };
}

/**
 * What the engine reads in an image: colour, light and lines, and what it shows (objects,
 * people, scene) with the affect and music suggestions that follow. Nothing read from a face
 * leaves this function except through the reading's description and suggestions.
 */
export async function readImage(
  image: Uint8Array,
): Promise<{ features: ImageFeatures; reading: ImageReading }> {
  try {
    const seen = await perceiveImage(image);
    return { features: seen.features, reading: readingOf(seen) };
  } catch (error) {
    // sharp's messages ("Input buffer contains unsupported image format", pixel limit…) are
    // safe to show and tell the user what to fix.
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('unreadable_image', `could not read the image: ${reason}`);
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
  // A variation recomposes a stored plan: the image is gone, only its features were kept.
  const read: { features: ImageFeatures; reading?: ImageReading | undefined } = req.from
    ? { features: req.from.features }
    : await readImage(req.image);
  const { features } = read;
  const perception = lap();

  await req.onProgress?.('composing');
  const produceId = req.produceId ?? deriveProduceId(req);
  const plan =
    req.from?.plan ??
    createMusicPlan({
      features,
      text: readTextCues(req.text),
      seconds: req.seconds,
      loop: req.loop === true,
      controls: req.controls,
      reading: read.reading,
    });
  const loop = plan.form.loop;
  // Plans before v5 kept a fixed tail; from v5 each style declares how long its reverb rings.
  const tailSeconds = loop ? 0 : (plan.tailSeconds ?? TAIL_SECONDS);
  const score = composeScore(plan, req.seed);
  const midi = labelMidi(
    writeScoreToMidi(
      score,
      // The plan's own version: a variation of a stored plan is composed by that plan's rules.
      `Instune engine v0 (plan v${plan.version}), seed ${req.seed}. AI-generated music.`,
    ),
    { produceId },
  );
  const compose = lap();

  await req.onProgress?.('rendering');
  const soundBank = await loadSoundFont();
  const soundFont = lap();
  const rendered = await renderMidi(midi, {
    soundBank,
    seconds: score.durationSeconds + tailSeconds,
    sampleRate: SAMPLE_RATE,
  });
  // A loop is exactly its bars long; what rings past the end sounds again over the start.
  const audio = loop
    ? wrapTail(rendered, Math.round(score.durationSeconds * SAMPLE_RATE))
    : rendered;
  const render = lap();
  const { report: masterReport } = masterAudio(audio, {
    fadeOutSeconds: loop ? 0 : tailSeconds * 0.8,
    overlay: audibleLabelOverlay(audio.sampleRate),
  });
  const master = lap();

  await req.onProgress?.('encoding');
  const mp3 = labelMp3(await encodeMp3(audio), { produceId });
  const wav = encodeWav(audio, { produceId });
  const encode = lap();

  return {
    track: {
      mp3,
      wav,
      midi,
      produceId,
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
