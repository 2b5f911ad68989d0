import type { StereoAudio } from '../render/render.js';
import { giveBackSamples, takeSamplesToOverwrite } from '../sample-buffers.js';
import { renderAndMixParts, type PartSpec, type PartsJob } from './mix-parts.js';

/**
 * The mix as shared memory that every render thread adds its own parts into, in the parts'
 * order (a float sum depends on its order, so the bytes never depend on which thread rendered
 * what, or when). A part ready before its turn is held by the thread that rendered it, which goes
 * on with its next part; it is added as soon as the parts before it are in. A thread's parts
 * then never leave it: once added, their buffers are its next part's (sample-buffers.ts), and
 * the calling thread never receives, sums or collects another thread's parts
 * (docs/decisions/0029-sample-buffers.md).
 *
 * Threads claim the parts as they go (`renderClaimedIntoMix`), in the parts' order: a thread
 * that finishes early takes the next part, so the work balances itself whatever each part
 * costs on each thread, and a part rarely waits long for its turn.
 */
export interface SharedMix {
  left: Float32Array;
  right: Float32Array;
  /** [0]: the index of the part whose turn it is to be added; [1]: 1 once the render failed. */
  turn: Int32Array;
  /**
   * A loop's length in samples: what a part holds past it (the reverb tail) is added back onto
   * its start first, exactly as the engine wraps a loop's parts.
   */
  wrapAt?: number | undefined;
}

export function sharedMix(length: number, wrapAt?: number): SharedMix {
  const floats = (): Float32Array => new Float32Array(new SharedArrayBuffer(length * 4));
  return {
    left: floats(),
    right: floats(),
    turn: new Int32Array(new SharedArrayBuffer(8)),
    wrapAt,
  };
}

/** Adds everything after `length` samples back onto the start, then cuts to `length`. */
export function wrapTail(audio: StereoAudio, length: number): StereoAudio {
  const wrap = (channel: Float32Array): Float32Array => {
    const out = takeSamplesToOverwrite(length);
    out.set(channel.subarray(0, length));
    if (channel.length < length) out.fill(0, channel.length);
    for (let i = length; i < channel.length; i++) {
      const j = (i - length) % length;
      out[j] = (out[j] as number) + (channel[i] as number);
    }
    return out;
  };
  return { sampleRate: audio.sampleRate, left: wrap(audio.left), right: wrap(audio.right) };
}

/** `into += part`, sample by sample (the float sum the engine has always made). */
export function addInto(into: StereoAudio | SharedMix, part: StereoAudio): void {
  const length = into.left.length;
  for (let i = 0; i < length; i++) {
    into.left[i] = (into.left[i] as number) + (part.left[i] ?? 0);
    into.right[i] = (into.right[i] as number) + (part.right[i] ?? 0);
  }
}

/**
 * Marks the mix failed (a part will never come) and wakes every thread waiting on it, whose
 * `settled()` then rejects instead of waiting for ever.
 */
export function abandonMix(mix: SharedMix): void {
  Atomics.store(mix.turn, 1, 1);
  Atomics.notify(mix.turn, 0);
}

const abandoned = (mix: SharedMix): boolean => Atomics.load(mix.turn, 1) !== 0;

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Resolves once `turn[0]` is no longer `seen` (at once if it already is not). */
function turnMoves(turn: Int32Array, seen: number): Promise<void> {
  if (waitAsync) {
    const waiting = waitAsync(turn, 0, seen);
    return waiting.async
      ? (waiting.value as Promise<string>).then(() => undefined)
      : Promise.resolve();
  }
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * One thread's side of a shared mix: `add(index, part)` adds the part now if it is its turn
 * (and any held parts that follow), or holds it; `settled()` resolves once every part given
 * has been added. Added parts' buffers are handed back for this thread's next part.
 */
export function mixAdder(mix: SharedMix): {
  add: (index: number, part: StereoAudio) => void;
  settled: () => Promise<void>;
} {
  const held = new Map<number, StereoAudio>();
  const flush = (): void => {
    if (abandoned(mix)) throw new Error('the mix was abandoned: another thread failed');
    for (let next = Atomics.load(mix.turn, 0), part = held.get(next); part;) {
      held.delete(next);
      const summed = mix.wrapAt === undefined ? part : wrapTail(part, mix.wrapAt);
      if (summed !== part) giveBackSamples(part.left, part.right);
      addInto(mix, summed);
      giveBackSamples(summed.left, summed.right);
      Atomics.store(mix.turn, 0, next + 1);
      Atomics.notify(mix.turn, 0);
      next += 1;
      part = held.get(next);
    }
  };
  let watching = false;
  // While parts are held, each move of the turn (another thread adding) flushes again.
  const watch = (): void => {
    if (watching || held.size === 0) return;
    watching = true;
    const moved = async (): Promise<void> => {
      await turnMoves(mix.turn, Atomics.load(mix.turn, 0));
      watching = false;
      try {
        flush();
      } catch {
        return; // abandoned: settled() reports it
      }
      watch();
    };
    void moved();
  };
  return {
    add: (index, part) => {
      held.set(index, part);
      flush();
      watch();
    },
    settled: async () => {
      flush();
      while (held.size > 0) {
        await turnMoves(mix.turn, Atomics.load(mix.turn, 0));
        flush();
      }
    },
  };
}

/** The work of one shared-mix render, the same for every thread that takes part in it. */
export interface ClaimedParts {
  mix: SharedMix;
  /**
   * Groups of part indices, in the order they are claimed: parts on one channel are one group
   * (they share one render of that channel).
   */
  units: number[][];
  /** [0]: the next unit to claim. */
  claims: Int32Array;
}

/** The units of `parts`: one per channel, in the order of each channel's first part. */
export function claimUnits(parts: readonly PartSpec[]): number[][] {
  const byChannel = new Map<number, number[]>();
  parts.forEach((spec, index) => {
    const unit = byChannel.get(spec.channel);
    if (unit) unit.push(index);
    else byChannel.set(spec.channel, [index]);
  });
  return [...byChannel.values()];
}

export function claimedParts(mix: SharedMix, parts: readonly PartSpec[]): ClaimedParts {
  return { mix, units: claimUnits(parts), claims: new Int32Array(new SharedArrayBuffer(4)) };
}

/**
 * This thread's side of a shared-mix render: claims units until none is left, renders each and
 * adds its parts in turn. Resolves with the number of parts this thread added.
 */
export async function renderClaimedIntoMix(job: PartsJob, work: ClaimedParts): Promise<number> {
  const adder = mixAdder(work.mix);
  let count = 0;
  try {
    for (let u = Atomics.add(work.claims, 0, 1); u < work.units.length;) {
      const unit = work.units[u] as number[];
      const sub: PartsJob = { ...job, parts: unit.map((index) => job.parts[index] as PartSpec) };
      await renderAndMixParts(sub, (k, audio) => {
        adder.add(unit[k] as number, audio);
        count++;
      });
      u = Atomics.add(work.claims, 0, 1);
    }
    await adder.settled();
  } catch (error) {
    // A part this thread claimed will never come: no other thread may wait for it.
    abandonMix(work.mix);
    throw error;
  }
  return count;
}
