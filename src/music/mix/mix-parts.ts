import type { StereoAudio } from '../render/render.js';
import { renderParts } from '../render/render.js';
import { loadSoundFont } from '../render/soundfont.js';
import type { BusMix, PartMix } from '../styles/style-declaration.js';
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

/** The mixed parts, in the job's order. */
export async function renderAndMixParts(job: PartsJob): Promise<StereoAudio[]> {
  const soundBank = await loadSoundFont(job.soundFontPath, job.soundFontFile);
  const channels = [...new Set(job.parts.map((p) => p.channel))];
  const rendered = await renderParts(job.midi, {
    soundBank,
    seconds: job.seconds,
    channels,
    sampleRate: job.sampleRate,
  });
  return job.parts.map((spec, index) => {
    const dry = rendered.get(spec.channel);
    if (!dry) throw new Error(`channel ${spec.channel} was not rendered`);
    // Two parts on one channel would share one buffer: give the later ones a copy.
    const first = job.parts.findIndex((p) => p.channel === spec.channel) === index;
    const audio = first
      ? dry
      : { sampleRate: dry.sampleRate, left: dry.left.slice(), right: dry.right.slice() };
    return mixPart({
      audio,
      role: spec.role,
      part: spec.part,
      bus: job.bus,
      tempoBpm: job.tempoBpm,
      kickSeconds: job.kickSeconds,
    });
  });
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
