import { createHash } from 'node:crypto';
import { EngineError } from './engine-error.js';
import { AUDIBLE_LABEL_START_SECONDS, audibleLabelOverlay } from './label/aigc-cue.js';
import { labelMidi, labelMp3 } from './label/aigc-label.js';
import type { ImageFeatures } from './perception/image-features.js';
import type { ImageReading } from './plan/content-choices.js';
import {
  applyMasterGain,
  computeMasterGain,
  truePeakNeedsTrim,
  verifyTruePeak,
  type MasterGain,
  type MasterReport,
} from './master/master.js';
import { measureTruePeakDb } from './master/true-peak.js';
import { warmUpMaster } from './master/master-warm-up.js';
import { measureIntegratedLoudness } from './master/loudness.js';
import { writeScoreToMidi } from './encode/midi-file.js';
import { zipStems, type StemFile } from './encode/stems-zip.js';
import type { PartSpec } from './mix/mix-parts.js';
import { kickOnsets, partMixFor, renderCost } from './mix/score-parts.js';
import { cueShares, STEMS_README } from './label/stem-labels.js';
import {
  encodeMp3Aside,
  type Mp3Aside,
  prewarmRenderThreads,
  renderPartsInParallel,
  renderPartsIntoMix,
} from './mix/part-render-pool.js';
import { addInto, sharedMix, wrapTail } from './mix/shared-mix.js';
import { vinylTexture } from './mix/texture.js';
import type { MusicPlan, PlanControls } from './plan/music-plan.js';
import { SAMPLE_RATE, type StereoAudio } from './render/render.js';
import { defaultSoundFontPath, loadSoundFont } from './render/soundfont.js';
import { encodeWav, type WavLoop } from './encode/wav-encode.js';
import { giveBackSamples, releaseSampleBuffers } from './sample-buffers.js';
import { MAX_SECONDS, MAX_SEED, MIN_SECONDS, requireWithinLimits } from './limits.js';
import { readImageOnThread } from './perception/perception-thread.js';

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
  /** Also deliver the parts as stems: one labelled WAV per part, in a ZIP. */
  stems?: boolean | undefined;
  onProgress?: ((stage: ComposeStage) => void | Promise<void>) | undefined;
}

export interface ComposedTrack {
  /** 192 kbps CBR MP3 with an ID3v2.4 TXXX:AIGC label. */
  mp3: Uint8Array;
  /** 16-bit 44.1 kHz stereo PCM WAV with a RIFF AIGC chunk. */
  wav: Uint8Array;
  /** Standard MIDI File (format 1) whose last track carries the AIGC label as a text event. */
  midi: Uint8Array;
  /**
   * With `stems`: a ZIP of one WAV per part (same mix, same master gain, each labelled), which
   * summed give the WAV above, audible label included exactly once.
   */
  stems: Uint8Array | null;
  /**
   * A loop's WAV: a lead-in carrying the audible label, then the loop, whose frames [start, end)
   * the `smpl` chunk marks to repeat forever. Null for a piece with an ending.
   */
  loop: WavLoop | null;
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
  master: MasterReport & { mp3TruePeakDb: number; mp3TrimDb: number };
}

/** How the engine runs, as opposed to what it makes: set by the service from its config. */
export interface EngineOptions {
  /** A larger SoundFont (.sf2 or .sf3) instead of the bundled bank. */
  soundFontPath?: string | undefined;
  /** Threads one render may use, this one included (default 2: both cores of a small box). */
  renderThreads?: number | undefined;
  /**
   * Read the picture on a thread of its own that ends once it has answered (for a process that
   * makes one piece, as the command line does): the vision models load beside this thread's
   * start-up and their memory is given back before the render. Off by default: a service keeps
   * its models loaded in the calling thread between requests.
   */
  perceptionThread?: boolean | undefined;
}

export { MAX_SECONDS, MAX_SEED, MIN_SECONDS };

function validate(req: ComposeRequest): void {
  requireWithinLimits(req);
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

/** Where the loop's lead-in starts the audible label, and how long the lead-in is. */
const LOOP_LEAD_IN_SECONDS = 1.5;
/** A file starting mid-music (the lead-in) starts with this short fade so it does not click. */
const LEAD_IN_FADE_SECONDS = 0.02;
/** The last part of the tail is faded, where the reverb is already below hearing. */
const TAIL_FADE_SHARE = 0.25;
const TRUE_PEAK_CEILING_DB = -1;

/**
 * Zeroed stereo audio; in shared memory when another thread will read it (the MP3 encode), so it
 * can be handed over without a copy. Float32Array arithmetic is the same over either memory.
 */
function silence(sampleRate: number, length: number, shared: boolean): StereoAudio {
  const floats = (): Float32Array =>
    shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
  return { sampleRate, left: floats(), right: floats() };
}

function concat(a: StereoAudio, b: StereoAudio): StereoAudio {
  const join = (x: Float32Array, y: Float32Array): Float32Array => {
    const out = new Float32Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return { sampleRate: a.sampleRate, left: join(a.left, b.left), right: join(a.right, b.right) };
}

function fadeIn(audio: StereoAudio, samples: number): void {
  for (let i = 0; i < samples && i < audio.left.length; i++) {
    const g = 0.5 * (1 - Math.cos((Math.PI * i) / samples));
    audio.left[i] = (audio.left[i] ?? 0) * g;
    audio.right[i] = (audio.right[i] ?? 0) * g;
  }
}

/**
 * What the engine reads in an image: colour, light and lines, and what it shows (objects,
 * people, scene) with the affect and music suggestions that follow. Nothing read from a face
 * leaves this function except through the reading's description and suggestions.
 */
export async function readImage(
  image: Uint8Array,
  onThread = false,
): Promise<{ features: ImageFeatures; reading: ImageReading }> {
  try {
    if (onThread) return await readImageOnThread(image);
    // Loaded on first use, not with the engine: perception brings TensorFlow.js, sharp and the
    // vision models (about a second of module loading in a fresh process), and a render started
    // without them gets its render threads going, and their banks loading, meanwhile.
    const [{ perceiveImage }, { readingOf }] = await Promise.all([
      import('./perception/image-perception.js'),
      import('./plan/content-choices.js'),
    ]);
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
  options: EngineOptions = {},
): Promise<{ track: ComposedTrack; report: ComposeReport }> {
  try {
    return await composeWithReport(req, options);
  } finally {
    // A failed render must not leave this thread holding sample buffers either.
    releaseSampleBuffers();
  }
}

async function composeWithReport(
  req: ComposeRequest,
  options: EngineOptions,
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

  // On a perception thread the picture is read from the start, beside everything below.
  const early =
    !req.from && options.perceptionThread === true ? readImage(req.image, true) : undefined;
  // If something below fails first, the reading's rejection must not go unhandled.
  early?.catch(() => undefined);
  const soundFontPath = options.soundFontPath ?? defaultSoundFontPath();
  const threads = options.renderThreads ?? 2;
  prewarmRenderThreads(soundFontPath, threads);
  // The planning and composing modules are loaded only now: through the plan they bring
  // perception, and with it TensorFlow.js (most of a fresh process's module loading), so in a
  // fresh process the render threads start, and load their banks, while this thread loads them.
  const [{ createMusicPlan, TAIL_SECONDS }, { composeScore }, { requireStyle }, { readTextCues }] =
    await Promise.all([
      import('./plan/music-plan.js'),
      import('./compose/compose-score.js'),
      import('./styles/style-registry.js'),
      import('./perception/text-cues.js'),
    ]);
  // While another thread reads the picture, this one loads the bank it renders with (below)
  // and compiles the master's loops, which a fresh process would otherwise run slowly once.
  if (early) {
    loadSoundFont(soundFontPath).catch(() => undefined);
    warmUpMaster();
  }

  await req.onProgress?.('analysing');
  // A variation recomposes a stored plan: the image is gone, only its features were kept.
  const read: { features: ImageFeatures; reading?: ImageReading | undefined } = req.from
    ? { features: req.from.features }
    : await (early ?? readImage(req.image));
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
  // From v5 the plan reserves the style's mix tail, so the file is exactly the length asked for.
  // Plans before v5 kept a fixed 1.5 s; they replay with what today's mix needs, so the reverb
  // can finish (a variation of an old piece may run a second or two longer than it did).
  const mix = requireStyle(plan.style).mix;
  const tailSeconds = plan.tailSeconds ?? Math.max(TAIL_SECONDS, mix.bus.tailSeconds);
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
  // Loaded here first: this thread renders a share of the parts itself.
  await loadSoundFont(soundFontPath);
  const soundFont = lap();
  const sampleRate = SAMPLE_RATE;
  const parts: PartSpec[] = score.tracks.map((t) => ({
    role: t.role,
    channel: t.channel,
    part: partMixFor(mix, t.role),
    cost: renderCost(score, t),
  }));
  const names = score.tracks.map((t, i) => `${i + 1}-${t.role}.wav`);
  // A loop is exactly its bars long; what rings past the end sounds again over the start.
  const body = Math.round(score.durationSeconds * sampleRate);
  // The parts are summed in their order (float sums depend on the order). Without stems each
  // thread adds the parts it renders into the mix itself, shared memory that the MP3 thread
  // also reads in place; with stems the parts come here, are summed as they come and kept.
  let mixed: StereoAudio | null = null;
  const stems: StereoAudio[] = [];
  const seconds = score.durationSeconds + tailSeconds;
  const job = {
    midi,
    soundFontPath,
    sampleRate,
    seconds,
    parts,
    bus: mix.bus,
    tempoBpm: plan.tempoBpm,
    kickSeconds: kickOnsets(score),
  };
  if (req.stems !== true && parts.length > 0) {
    const into = sharedMix(loop ? body : Math.ceil(seconds * sampleRate), loop ? body : undefined);
    await renderPartsIntoMix(job, threads, into);
    mixed = { sampleRate, left: into.left, right: into.right };
  } else {
    await renderPartsInParallel(job, threads, (_index, part) => {
      const stem = loop ? wrapTail(part, body) : part;
      if (stem !== part) giveBackSamples(part.left, part.right);
      mixed ??= silence(sampleRate, stem.left.length, threads > 1);
      addInto(mixed, stem);
      stems.push(stem);
    });
  }
  const render = lap();

  mixed ??= silence(sampleRate, body, threads > 1);
  const length = mixed.left.length;
  const lofi = mix.bus.lofi;
  if (lofi) {
    // Vinyl under the music at a level relative to it: its own stem, seeded by the request.
    const musicLufs = measureIntegratedLoudness(mixed) ?? -30;
    const vinyl = vinylTexture(length, sampleRate, musicLufs + lofi.noiseDb, req.seed);
    addInto(mixed, vinyl);
    if (req.stems === true) stems.push(vinyl);
    else giveBackSamples(vinyl.left, vinyl.right);
    names.push(`${names.length + 1}-vinyl.wav`);
  }
  const cue = audibleLabelOverlay(sampleRate);
  const shares = req.stems === true ? cueShares(stems) : [];
  const compression = mix.bus.compression;
  let master: MasterGain;
  let wavLoop: WavLoop | null = null;
  let finish: (audio: StereoAudio, share: number) => StereoAudio;
  let audio: StereoAudio;
  let mp3Aside: Mp3Aside | null = null;
  /**
   * The final true-peak check of the mastered audio. With render threads the MP3 encode starts
   * first, on the audio as it stands, while this thread measures: almost always the check
   * changes nothing and the encode is the one delivered. When it must trim, the encode is
   * stopped before the audio changes and started again on the trimmed audio, so the MP3 is
   * always that of the delivered audio.
   */
  const checkTruePeak = async (mastered: StereoAudio, gains: MasterGain): Promise<MasterGain> => {
    if (threads < 2) return verifyTruePeak(mastered, gains, TRUE_PEAK_CEILING_DB);
    mp3Aside = encodeMp3Aside(mastered, TRUE_PEAK_CEILING_DB, threads);
    // If the master fails from here on, the encode's rejection must not go unhandled.
    mp3Aside.result.catch(() => undefined);
    const peakDb = measureTruePeakDb(mastered);
    if (!truePeakNeedsTrim(peakDb, TRUE_PEAK_CEILING_DB)) {
      return verifyTruePeak(mastered, gains, TRUE_PEAK_CEILING_DB, peakDb);
    }
    await mp3Aside.stop();
    const trimmed = verifyTruePeak(mastered, gains, TRUE_PEAK_CEILING_DB, peakDb);
    mp3Aside = encodeMp3Aside(mastered, TRUE_PEAK_CEILING_DB, threads);
    mp3Aside.result.catch(() => undefined);
    return trimmed;
  };
  if (!loop) {
    master = computeMasterGain(mixed, {
      compression,
      overlay: cue,
      fadeOutSeconds: tailSeconds * TAIL_FADE_SHARE,
      truePeakCeilingDb: TRUE_PEAK_CEILING_DB,
    });
    audio = applyMasterGain(mixed, master, cue);
    master = await checkTruePeak(audio, master);
    const gains = master;
    finish = (part, share) => applyMasterGain(part, gains, { ...cue, share });
  } else {
    // Mastered as two periods so the dynamics are settled where the file is cut; the file is
    // the lead-in (the period's last seconds, carrying the cue) and then one period.
    const leadIn = Math.min(body, Math.round(LOOP_LEAD_IN_SECONDS * sampleRate));
    const cueAt = body - leadIn + Math.round(AUDIBLE_LABEL_START_SECONDS * sampleRate);
    const overlay = { samples: cue.samples, at: cueAt };
    const twice = concat(mixed, mixed);
    master = computeMasterGain(twice, {
      compression,
      overlay,
      fadeOutSeconds: 0,
      measureFrom: body,
      truePeakCeilingDb: TRUE_PEAK_CEILING_DB,
    });
    wavLoop = { start: leadIn, end: leadIn + body };
    const cut = (doubled: StereoAudio, shared = false): StereoAudio => {
      const out = silence(sampleRate, doubled.left.length - (body - leadIn), shared);
      out.left.set(doubled.left.subarray(body - leadIn));
      out.right.set(doubled.right.subarray(body - leadIn));
      fadeIn(out, Math.round(LEAD_IN_FADE_SECONDS * sampleRate));
      return out;
    };
    audio = cut(applyMasterGain(twice, master, overlay), threads > 1);
    // The check runs on the file as cut (the run-in period is not delivered).
    master = await checkTruePeak(audio, master);
    const gains = master;
    finish = (part, share) =>
      cut(applyMasterGain(concat(part, part), gains, { ...overlay, share }));
  }
  // The render's and the master's reused buffers are done with: let them go before the encode.
  releaseSampleBuffers();
  const mastered = lap();

  await req.onProgress?.('encoding');
  // The MP3 (LAME on a render thread, read back here as it comes) is under way since the
  // true-peak check; this thread writes the WAVs meanwhile. With one thread it starts now.
  const pendingMp3 = (mp3Aside ?? encodeMp3Aside(audio, TRUE_PEAK_CEILING_DB, threads)).result;
  // If the WAVs fail, the MP3's rejection must not go unhandled: it is awaited below or dropped.
  pendingMp3.catch(() => undefined);
  const wav = encodeWav(audio, { produceId }, { loop: wavLoop });
  let stemsZip: Uint8Array | null = null;
  if (req.stems === true) {
    const files: StemFile[] = [];
    for (let i = 0; i < stems.length; i++) {
      const stem = stems[i] as StereoAudio;
      files.push({
        name: names[i] ?? `${i + 1}.wav`,
        bytes: encodeWav(finish(stem, shares[i] ?? 0), { produceId }, { loop: wavLoop }),
      });
      // The float part is done with once its WAV exists: keep one of the two at a time.
      stems[i] = { sampleRate, left: new Float32Array(0), right: new Float32Array(0) };
    }
    stemsZip = zipStems(files, STEMS_README(names, wavLoop));
  }
  const mp3Check = await pendingMp3;
  const mp3 = labelMp3(mp3Check.mp3, { produceId });
  const encode = lap();

  return {
    track: {
      mp3,
      wav,
      midi,
      stems: stemsZip,
      loop: wavLoop,
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
        master: mastered,
        encode,
        total: Math.round(performance.now() - started),
      },
      master: {
        ...master.report,
        mp3TruePeakDb: Math.round(mp3Check.truePeakDb * 100) / 100,
        mp3TrimDb: Math.round(mp3Check.trimDb * 100) / 100,
      },
    },
  };
}

export async function composeTrack(
  req: ComposeRequest,
  options: EngineOptions = {},
): Promise<ComposedTrack> {
  return (await composeTrackWithReport(req, options)).track;
}
