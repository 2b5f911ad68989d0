import {
  BasicMIDI,
  SpessaSynthProcessor,
  SpessaSynthSequencer,
  type BasicSoundBank,
} from 'spessasynth_core';
import { takeSamples } from '../sample-buffers.js';
import { installFastReverb } from './dattorro-reverb.js';

export const SAMPLE_RATE = 44_100;

export interface StereoAudio {
  sampleRate: number;
  left: Float32Array;
  right: Float32Array;
}

export interface RenderOptions {
  soundBank: BasicSoundBank;
  /** Total length to render, including the release tail after the last note. */
  seconds: number;
  sampleRate?: number;
  /** The library's own reverb code instead of the bit-identical fast plate (for tests). */
  stockReverb?: boolean;
}

/** The synth computes envelopes once per block; 128 is its native quantum. */
const BLOCK = 128;
/** Yield to the event loop about every second of audio so a shared process stays responsive. */
const YIELD_EVERY_BLOCKS = Math.round(SAMPLE_RATE / BLOCK);

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Offline render of SMF bytes with spessasynth_core: the sequencer feeds the synth one block
 * at a time. Rendering from the file bytes (not from the score) guarantees the MP3 is exactly
 * the delivered MIDI. Deterministic: the synth uses no randomness or clocks for playback.
 */
export async function renderMidi(midi: Uint8Array, options: RenderOptions): Promise<StereoAudio> {
  const sampleRate = options.sampleRate ?? SAMPLE_RATE;
  const synth = await newSynth(sampleRate, true);
  if (!options.stockReverb) installFastReverb(synth);
  synth.soundBankManager.addSoundBank(options.soundBank, 'gm');
  // Not destroySynthProcessor(): it would also destroy the shared, cached sound bank.
  return play(synth, midi, options.seconds, sampleRate);
}

export interface ChannelRenderOptions {
  soundBank: BasicSoundBank;
  /** Banks in front of `soundBank`: a preset they have is played from them (the first wins). */
  layers?: readonly BasicSoundBank[];
  /** Total length to render, including the release tail after the last note. */
  seconds: number;
  sampleRate?: number;
}

/**
 * Renders one channel of SMF bytes, its dry output (no synth reverb or chorus: the mix adds its
 * own per part), into a stereo buffer of its own. The channel gets a synth of its own with every
 * other channel muted (a muted channel starts no notes, so rendering the parts one by one costs
 * no more than one synth playing them all): in a shared synth the order in which voices are
 * summed depends on the other channels' notes, which moves the last bit of a float, so a part
 * would not come out bit-identical whichever parts a thread happens to render alongside it.
 * Channel levels and pans (CC7, CC10) are applied by the synth as usual.
 */
export async function renderChannel(
  midi: Uint8Array,
  channel: number,
  options: ChannelRenderOptions,
): Promise<StereoAudio> {
  const sampleRate = options.sampleRate ?? SAMPLE_RATE;
  const synth = await newSynth(sampleRate, false);
  // The synth looks a preset up in its banks in the order they were added.
  options.layers?.forEach((layer, index) => {
    synth.soundBankManager.addSoundBank(layer, `layer-${index}`);
  });
  synth.soundBankManager.addSoundBank(options.soundBank, 'gm');
  synth.midiChannels.forEach((c, index) => {
    if (index !== channel) c.setSystemParameter('isMuted', true);
  });
  return play(synth, midi, options.seconds, sampleRate);
}

/** A synth without its event stream; a preset the sound bank lacks falls back silently. */
async function newSynth(sampleRate: number, effectsEnabled: boolean) {
  const synth = new SpessaSynthProcessor(sampleRate, {
    effectsEnabled,
    eventsEnabled: false,
    maxBufferSize: BLOCK,
  });
  synth.onMissingPreset = () => undefined;
  await synth.processorInitialized;
  return synth;
}

/** Plays the SMF bytes once through the synth, block by block, into `seconds` of audio. */
async function play(
  synth: SpessaSynthProcessor,
  midi: Uint8Array,
  seconds: number,
  sampleRate: number,
): Promise<StereoAudio> {
  const buffer = midi.buffer.slice(
    midi.byteOffset,
    midi.byteOffset + midi.byteLength,
  ) as ArrayBuffer;
  const sequencer = new SpessaSynthSequencer(synth);
  // Silence before the first note is part of the timing; never skip it.
  sequencer.skipToFirstNoteOn = false;
  sequencer.loopCount = 0;
  sequencer.loadNewSongList([BasicMIDI.fromArrayBuffer(buffer)]);
  sequencer.play();

  const total = Math.ceil(seconds * sampleRate);
  // The synth adds its voices into the buffers: they start zeroed (reused ones are cleared).
  const left = takeSamples(total);
  const right = takeSamples(total);
  let blocks = 0;
  for (let offset = 0; offset < total; offset += BLOCK) {
    sequencer.processTick();
    synth.process(left, right, offset, Math.min(BLOCK, total - offset));
    if (++blocks % YIELD_EVERY_BLOCKS === 0) await nextTurn();
  }
  return { sampleRate, left, right };
}
