/**
 * Sample-rate buffers handed back when done with and handed out again, per thread, for the
 * length of one render. A 60 s part is two 10.6 MB channels, and the render and the master
 * each make and drop dozens of arrays that size (the parts, the reverb's sends and returns, the
 * limiter's scratch); left to the collector they pile up until it runs, and that pile was the
 * process's peak (docs/decisions/0029-sample-buffers.md). Reusing them bounds it.
 *
 * Rules for callers: hand back only an array nothing else will read or write again (a part
 * once it is summed into the mix, a scratch array once its pass is over); an array of shared
 * memory, a view into a larger buffer, a small array or one already held is ignored, so handing
 * back is always safe for those. `releaseSampleBuffers` at the end of a render lets the thread's
 * memory go (a service's threads must not hold buffers between requests).
 */

/** Smaller arrays are cheap to make; pooling them is not worth the bookkeeping. */
const MIN_POOLED_LENGTH = 1 << 16;
/** At most this many arrays wait to be handed out again: what a part and the master take at once. */
const MAX_HELD = 3;

const held: Float32Array[] = [];
const isHeld = new WeakSet<Float32Array>();

function takeHeld(length: number): Float32Array | undefined {
  const at = held.findIndex((a) => a.length === length);
  if (at < 0) return undefined;
  const [array] = held.splice(at, 1);
  if (array) isHeld.delete(array);
  return array;
}

/** A zeroed array of `length` samples (one handed back earlier, cleared, when there is one). */
export function takeSamples(length: number): Float32Array {
  const reused = takeHeld(length);
  if (!reused) return new Float32Array(length);
  reused.fill(0);
  return reused;
}

/** An array of `length` samples whose contents are not cleared: the caller writes every one. */
export function takeSamplesToOverwrite(length: number): Float32Array {
  return takeHeld(length) ?? new Float32Array(length);
}

/** A copy of `samples` in a reused array when there is one (hand it back when done with). */
export function copyOfSamples(samples: Float32Array): Float32Array {
  const copy = takeSamplesToOverwrite(samples.length);
  copy.set(samples);
  return copy;
}

/** Hands arrays back for reuse (see the rules above). */
export function giveBackSamples(...arrays: Float32Array[]): void {
  for (const array of arrays) {
    const owns =
      array.buffer instanceof ArrayBuffer &&
      array.byteOffset === 0 &&
      array.byteLength === array.buffer.byteLength;
    if (!owns || array.length < MIN_POOLED_LENGTH || isHeld.has(array)) continue;
    if (held.length >= MAX_HELD) {
      // Keep the most recent: they are the length the render in progress uses.
      const dropped = held.shift();
      if (dropped) isHeld.delete(dropped);
    }
    held.push(array);
    isHeld.add(array);
  }
}

/** Drops every array held, so their memory can go once the collector runs. */
export function releaseSampleBuffers(): void {
  for (const array of held) isHeld.delete(array);
  held.length = 0;
}

/** Arrays held now (tests). */
export function heldSampleBuffers(): number {
  return held.length;
}
