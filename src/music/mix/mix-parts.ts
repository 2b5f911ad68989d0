import type { StereoAudio } from '../render/render.js';
import { renderChannel } from '../render/render.js';
import { requirePianoBank, trimDecodedSamples } from '../render/piano-bank.js';
import { defaultSoundFontPath, loadSoundFont } from '../render/soundfont.js';
import type { BusMix, PartMix } from '../styles/style-declaration.js';
import { copyOfSamples } from '../sample-buffers.js';
import { mixPart } from './part-mix.js';

/**
 * Render and channel strip for a group of parts, in whatever thread runs it: the unit of work the
 * render threads share (mix/part-render-pool.ts). Everything it needs travels in the job, so the
 * result depends on the job alone, never on which thread ran it or when.
 */

export interface PartSpec {
  role: string;
  channel: number;
  part: PartMix;
  /** Relative rendering cost (sounding note-seconds), for sharing parts out between threads. */
  cost: number;
}

export interface PartsJob {
  midi: Uint8Array;
  soundFontPath: string;
  /** The bank file's bytes, shared between threads (render/soundfont.ts sharedSoundFontFile). */
  soundFontFile?: SharedArrayBuffer | undefined;
  sampleRate: number;
  /** Seconds to render: the notes plus the style's tail. */
  seconds: number;
  parts: PartSpec[];
  bus: BusMix;
  tempoBpm: number;
  kickSeconds: number[];
}

/**
 * Renders and mixes the job's parts one after the other, in the job's order, handing each to
 * `onPart` (with its index in the job) as soon as it is mixed, so a thread holds one part at a
 * time rather than all of them. A part's audio depends only on the job and its own spec.
 */
export async function renderAndMixParts(
  job: PartsJob,
  onPart: (index: number, audio: StereoAudio) => void | Promise<void>,
): Promise<void> {
  const soundBank = await loadSoundFont(job.soundFontPath, job.soundFontFile);
  const options = { soundBank, seconds: job.seconds, sampleRate: job.sampleRate };
  // Layers only over the bundled bank: a bank given through SOUNDFONT_PATH plays alone.
  const layered = job.soundFontPath === defaultSoundFontPath();
  const pianoFor = async (spec: PartSpec) =>
    layered && spec.part.layer === 'grand-piano' ? loadSoundFont(requirePianoBank()) : null;
  // Two parts on one channel share one render: later parts get a copy of the dry channel.
  const dryFor = new Map<number, StereoAudio>();
  for (let index = 0; index < job.parts.length; index++) {
    const spec = job.parts[index] as PartSpec;
    const kept = dryFor.get(spec.channel);
    let dry = kept;
    if (!dry) {
      const piano = await pianoFor(spec);
      dry = await renderChannel(
        job.midi,
        spec.channel,
        piano ? { ...options, layers: [piano] } : options,
      );
      if (piano) trimDecodedSamples(piano);
    }
    const later = job.parts.some((p, k) => k > index && p.channel === spec.channel);
    if (later && !kept) dryFor.set(spec.channel, dry);
    if (!later) dryFor.delete(spec.channel);
    // The strip works in place: the dry channel stays whole while a later part still needs it.
    const audio = later
      ? {
          sampleRate: dry.sampleRate,
          left: copyOfSamples(dry.left),
          right: copyOfSamples(dry.right),
        }
      : dry;
    await onPart(
      index,
      mixPart({
        audio,
        role: spec.role,
        part: spec.part,
        bus: job.bus,
        tempoBpm: job.tempoBpm,
        kickSeconds: job.kickSeconds,
      }),
    );
  }
}

/**
 * Shares parts out into `groups` lists of similar cost (longest first, each to the lightest
 * group), keeping each part's index so results can be put back in order.
 */
export function shareParts(
  parts: readonly PartSpec[],
  groups: number,
): { index: number; spec: PartSpec }[][] {
  const out: { index: number; spec: PartSpec }[][] = Array.from({ length: groups }, () => []);
  const load = new Array<number>(groups).fill(0);
  const order = parts
    .map((spec, index) => ({ index, spec }))
    .sort((a, b) => b.spec.cost - a.spec.cost || a.index - b.index);
  for (const item of order) {
    let lightest = 0;
    for (let g = 1; g < groups; g++)
      if ((load[g] as number) < (load[lightest] as number)) lightest = g;
    out[lightest]?.push(item);
    load[lightest] = (load[lightest] as number) + item.spec.cost;
  }
  return out.filter((g) => g.length > 0);
}
