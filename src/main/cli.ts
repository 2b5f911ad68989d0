#!/usr/bin/env node
import { randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isAppError } from '../lib/errors.js';
import { composeTrackWithReport, MAX_SECONDS, MIN_SECONDS } from '../music/compose-track.js';

const USAGE = `Usage:
  instune compose <image> -o out.mp3 [--text "…"] [--seconds N] [--seed N] [--midi out.mid] [--json]

Options:
  -o, --output FILE   MP3 to write (required)
      --text TEXT     description in English or Chinese; its mood words outrank the image
      --seconds N     length, ${MIN_SECONDS}..${MAX_SECONDS} (default 30)
      --seed N        0..4294967295; the same image, text, seconds and seed give the same bytes
                      (default: random, printed so the piece can be reproduced)
      --midi FILE     also write the MIDI file
      --json          print plan, features and timings as JSON instead of a summary
  -h, --help          show this help`;

class UsageError extends Error {}

function parseInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
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
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [imagePath, ...extra] = positionals;
  if (!imagePath) throw new UsageError('missing <image>');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!values.output) throw new UsageError('missing -o/--output');
  const seconds = parseInteger('seconds', values.seconds, 30);
  const seed = parseInteger('seed', values.seed, randomInt(0, 2 ** 32 - 1));

  let image: Uint8Array;
  try {
    image = await readFile(imagePath);
  } catch (error) {
    throw new UsageError(
      `cannot read ${imagePath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }

  const { track, report } = await composeTrackWithReport({
    image,
    text: values.text,
    seconds,
    seed,
    onProgress: values.json ? undefined : (stage) => void process.stderr.write(`${stage}…\n`),
  });
  await writeFile(values.output, track.mp3);
  if (values.midi) await writeFile(values.midi, track.midi);

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          seed,
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
    `wrote ${values.output} (${track.durationSeconds.toFixed(1)} s, ${(track.mp3.byteLength / 1024).toFixed(0)} KiB)` +
      (values.midi ? ` and ${values.midi}` : '') +
      `, seed ${seed}`,
  );
  console.log(
    `loudness ${m.outputLufs ?? '–'} LUFS, true peak ${m.truePeakDb} dBTP, gain ${m.gainDb} dB, limiter ${m.limiterReductionDb} dB`,
  );
  console.log(
    `timings ms: perception ${t.perception}, compose ${t.compose}, soundfont ${t.soundFont}, render ${t.render}, ` +
      `master ${t.master}, encode ${t.encode}, total ${t.total}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    }
    if (command !== 'compose') throw new UsageError(`unknown command "${command}"`);
    await compose(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`instune: ${error.message}\n\n${USAGE}`);
    } else if (isAppError(error)) {
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
