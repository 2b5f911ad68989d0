#!/usr/bin/env node
import { randomInt, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../lib/errors.js';
import { isEngineError } from '../music/engine-error.js';
import {
  composeTrackWithReport,
  MAX_SECONDS,
  MAX_SEED,
  MIN_SECONDS,
  readImage,
} from '../music/engine.js';

const USAGE = `Usage:
  instune compose <image> -o out.mp3 [--text "…"] [--seconds N] [--seed N] [--loop]
                  [--wav out.wav] [--midi out.mid] [--json]

Options:
  -o, --output FILE   file to write (required); .mp3, .wav or .mid picks the format
      --text TEXT     description in English or Chinese; its mood words outrank the image
      --seconds N     length, ${MIN_SECONDS}..${MAX_SECONDS} (default 30)
      --seed N        0..${MAX_SEED}; the same image, text, seconds and seed give the same bytes
                      (default: random, printed so the piece can be reproduced)
      --loop          a seamless loop: no ending, an exact number of bars
      --wav FILE      also write a 16-bit WAV
      --midi FILE     also write the MIDI file
      --stems FILE    also write the stems: a ZIP of one labelled WAV per part
      --soundfont F   render with this .sf2/.sf3 bank instead of the bundled one
  Every audio file carries the AI-generated-content labels (GB 45438-2025): an audible
  short-long-short-short bell at the start and AIGC metadata with a random generation id.
      --json          print plan, features and timings as JSON instead of a summary
  -h, --help          show this help`;

class UsageError extends Error {}

const OUTPUT_FORMATS: Record<string, 'mp3' | 'wav' | 'midi'> = {
  '.mp3': 'mp3',
  '.wav': 'wav',
  '.mid': 'midi',
  '.midi': 'midi',
};

function parseInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

/** The one positional argument both commands take: the image. */
function onlyImagePath(positionals: string[]): string {
  const [imagePath, ...extra] = positionals;
  if (!imagePath) throw new UsageError('missing <image>');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return imagePath;
}

async function readImageFile(imagePath: string): Promise<Uint8Array> {
  try {
    return await readFile(imagePath);
  } catch (error) {
    throw new UsageError(
      `cannot read ${imagePath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

async function compose(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      text: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      midi: { type: 'string' },
      wav: { type: 'string' },
      stems: { type: 'string' },
      soundfont: { type: 'string' },
      loop: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const imagePath = onlyImagePath(positionals);
  if (!values.output) throw new UsageError('missing -o/--output');
  const format = OUTPUT_FORMATS[extname(values.output).toLowerCase()];
  if (!format) throw new UsageError('-o/--output must end in .mp3, .wav or .mid');
  const seconds = parseInteger('seconds', values.seconds, 30);
  const seed = parseInteger('seed', values.seed, randomInt(0, MAX_SEED));

  const image = await readImageFile(imagePath);

  const { track, report } = await composeTrackWithReport(
    {
      image,
      text: values.text,
      seconds,
      seed,
      loop: values.loop,
      stems: values.stems !== undefined,
      produceId: randomUUID(),
      onProgress: values.json ? undefined : (stage) => void process.stderr.write(`${stage}…\n`),
    },
    // One piece and exit: the vision models' memory is given back before the render.
    { soundFontPath: values.soundfont, perceptionThread: true },
  );
  const outputs: [string, Uint8Array][] = [[values.output, track[format]]];
  if (values.wav) outputs.push([values.wav, track.wav]);
  if (values.midi) outputs.push([values.midi, track.midi]);
  if (values.stems && track.stems) outputs.push([values.stems, track.stems]);
  for (const [file, bytes] of outputs) await writeFile(file, bytes);

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          seed,
          produceId: track.produceId,
          files: outputs.map(([file, bytes]) => ({ file, bytes: bytes.byteLength })),
          durationSeconds: track.durationSeconds,
          ...report,
          plan: track.plan,
          features: track.features,
        },
        null,
        2,
      ),
    );
    return;
  }
  const t = report.timingsMs;
  const m = report.master;
  console.log(track.plan.explanation);
  console.log(
    `wrote ${outputs.map(([file, bytes]) => `${file} (${(bytes.byteLength / 1024).toFixed(0)} KiB)`).join(', ')}: ` +
      `${track.durationSeconds.toFixed(1)} s, seed ${seed}, AIGC ProduceID ${track.produceId}`,
  );
  console.log(
    `loudness ${m.outputLufs ?? '–'} LUFS, true peak ${m.truePeakDb} dBTP, gain ${m.gainDb} dB, limiter ${m.limiterReductionDb} dB`,
  );
  console.log(
    `timings ms: perception ${t.perception}, compose ${t.compose}, soundfont ${t.soundFont}, render ${t.render}, ` +
      `master ${t.master}, encode ${t.encode}, total ${t.total}`,
  );
}

const PLAN_USAGE = `  instune plan <image> [--text "…"] [--seconds N] [--seed N] [--json]

  Prints the music plan (emotion, key, mode, tempo, style and why) without composing or rendering.
  Planning does not depend on the seed; --seed is accepted so a plan can be printed next to the
  compose command it belongs to.`;

async function plan(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      text: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage:\n${PLAN_USAGE}`);
    return;
  }
  const imagePath = onlyImagePath(positionals);
  const seconds = parseInteger('seconds', values.seconds, 30);
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new UsageError(`--seconds must be between ${MIN_SECONDS} and ${MAX_SECONDS}`);
  }
  const seed = values.seed === undefined ? null : parseInteger('seed', values.seed, 0);

  const image = await readImageFile(imagePath);

  const started = performance.now();
  // Loaded here, not at start-up: the plan brings perception and TensorFlow.js, which `compose`
  // loads only once its render threads are starting (see the engine).
  const [{ createMusicPlan }, { readTextCues }] = await Promise.all([
    import('../music/plan/music-plan.js'),
    import('../music/perception/text-cues.js'),
  ]);
  const { features, reading } = await readImage(image);
  const text = readTextCues(values.text);
  const perceptionMs = Math.round(performance.now() - started);
  const musicPlan = createMusicPlan({ features, text, seconds, reading });

  if (values.json) {
    // Flat fields first so scripts can read the essentials without knowing the plan's shape.
    console.log(
      JSON.stringify(
        {
          valence: musicPlan.valence,
          arousal: musicPlan.arousal,
          tempo: Math.round(musicPlan.tempoBpm),
          mode: musicPlan.key.mode,
          key: musicPlan.key.name,
          style: musicPlan.style,
          explanation: musicPlan.explanation,
          seconds,
          seed,
          perceptionMs,
          plan: musicPlan,
          features,
          text,
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `valence ${musicPlan.valence}, arousal ${musicPlan.arousal} → ${musicPlan.key.name}, ` +
      `${Math.round(musicPlan.tempoBpm)} BPM, ${musicPlan.style}`,
  );
  console.log(musicPlan.explanation);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      console.log(`${USAGE}\n\n${PLAN_USAGE}`);
      return command === undefined ? 1 : 0;
    }
    if (command === 'plan') {
      await plan(rest);
      return 0;
    }
    if (command !== 'compose') throw new UsageError(`unknown command "${command}"`);
    await compose(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`instune: ${error.message}\n\n${USAGE}`);
    } else if (isAppError(error) || isEngineError(error)) {
      console.error(`instune: ${error.message}`);
    } else if (
      error instanceof Error &&
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      console.error(`instune: ${error.message}\n\n${USAGE}`);
    } else {
      console.error(
        `instune: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
