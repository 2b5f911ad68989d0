/**
 * One render in a process of its own, for the engine benches: image → labelled 60 s MP3 + WAV
 * (+ stems with `--stems`), then the process's memory as JSON on the last line (render threads
 * included: they share the process).
 *
 *   engine-once.ts [--perception-thread] <image> [threads] [--stems] [--perceive-only] [--text=<words>]
 *
 * `--perceive-only` reads the image and stops: the resident memory of a process that has
 * loaded the vision models, which is what a render adds to. `--perception-thread` reads the
 * picture as the command line does, on a thread of its own ended before the render.
 */
import { readFileSync } from 'node:fs';
import { composeTrack, readImage, type ComposeStage } from '../src/music/engine.js';
import { closeRenderThreads } from '../src/music/mix/part-render-pool.js';
import { memoryNow, startRssSampler } from './memory.js';

const args = process.argv.slice(2);
const perceptionThread = args.includes('--perception-thread');
const [image, ...rest] = args.filter((a) => a !== '--perception-thread');
if (!image) throw new Error('usage: engine-once.ts <image> [threads] [--stems] [--perceive-only]');
const threadArg = rest.find((a) => /^\d+$/.test(a));
const threads = threadArg === undefined ? undefined : Number(threadArg);
const stems = rest.includes('--stems');
/** `--text=<words>`: the description sent with the picture (default 'happy parrots'). */
const text = rest.find((a) => a.startsWith('--text='))?.slice('--text='.length) ?? 'happy parrots';
const sampler = startRssSampler();

if (rest.includes('--perceive-only')) {
  await readImage(readFileSync(image));
  const now = memoryNow();
  console.log(JSON.stringify({ rssMiB: now.rssMiB, maxRssMiB: now.hwmMiB }));
} else {
  const at: Partial<Record<ComposeStage, { rssMiB: number; hwmMiB: number }>> = {};
  const track = await composeTrack(
    {
      image: readFileSync(image),
      text,
      seconds: 60,
      seed: 7,
      produceId: 'bench-cold',
      stems,
      onProgress: (stage) => {
        at[stage] = memoryNow();
      },
    },
    { renderThreads: threads, perceptionThread },
  );
  const end = memoryNow();
  await closeRenderThreads();
  console.log(
    JSON.stringify({
      mp3Bytes: track.mp3.length,
      stemsBytes: track.stems?.length ?? 0,
      // Resident memory when the picture has been read (perception done; the render threads
      // were started at the same time and may already hold their bank).
      afterPerceptionRssMiB: at.composing?.rssMiB ?? null,
      // The peak up to the start of the render (perception's own transient peak included).
      peakBeforeRenderMiB: at.rendering?.hwmMiB ?? null,
      sampledMaxRssMiB: sampler.stop(),
      maxRssMiB: end.hwmMiB,
    }),
  );
}
