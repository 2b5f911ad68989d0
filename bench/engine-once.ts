/**
 * One render in a process of its own, for the engine bench: image → labelled 60 s MP3 (+ WAV),
 * then the process's peak resident memory (render threads included) as JSON on the last line.
 */
import { readFileSync } from 'node:fs';
import { composeTrack } from '../src/music/engine.js';
import { closeRenderThreads } from '../src/music/mix/part-render-pool.js';

const image = process.argv[2];
if (!image) throw new Error('usage: engine-once.ts <image>');
const threads = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const track = await composeTrack(
  {
    image: readFileSync(image),
    text: 'happy parrots',
    seconds: 60,
    seed: 7,
    produceId: 'bench-cold',
  },
  { renderThreads: threads },
);
await closeRenderThreads();
console.log(
  JSON.stringify({
    mp3Bytes: track.mp3.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
