import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isEngineError } from './engine-error.js';
import { composeTrack, type ComposeStage } from './engine.js';
import { createComposeWorkerPool } from './engine-worker-pool.js';
import { assessImageSafety } from './perception/image-safety.js';
import { ENGINE_THREAD_NICENESS } from './thread-priority.js';

const IMAGES = fileURLToPath(new URL('../../../shared/data/images', import.meta.url));
/** Each thread of this process with its nice value, as the kernel reports it (Linux). */
function threadNiceness(): { tid: number; nice: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesised name; nice is field 19, the 17th after it.
      return [{ tid: Number(tid), nice: Number(stat.split(') ')[1]?.split(' ')[16]) }];
    } catch {
      return []; // the thread ended while we looked
    }
  });
}
/** Runs `work` while a 5 ms timer measures how late the event loop lets it fire. */
async function measuringLag<T>(work: () => Promise<T>): Promise<{ value: T; maxLag: number }> {
  let maxLag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last - 5);
    last = now;
  }, 5);
  try {
    return { value: await work(), maxLag };
  } finally {
    clearInterval(timer);
  }
}
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('compose worker pool', () => {
  const pool = createComposeWorkerPool({ size: 1 });
  afterAll(() => pool.close());

  it('renders off the event loop, reports progress, and matches composeTrack byte for byte', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    const request = { image, text: 'calm evening', seconds: 20, seed: 3, produceId: 'gen-pool' };
    const stages: ComposeStage[] = [];
    // A first piece loads the worker's vision models (≈ 1 s of CPU on that thread), so the
    // measured piece below is an ordinary one.
    await pool.compose({ ...request, seconds: 10 });

    // The main thread only waits: a 5 ms timer must keep firing the whole while.
    const { value: pooled, maxLag } = await measuringLag(() =>
      pool.compose({ ...request, onProgress: (s) => void stages.push(s) }),
    );
    // In-thread, MP3 encoding alone blocks ~0.7 s for 20 s of music; 200 ms leaves room for
    // the OS scheduler when other test files keep both cores busy (seen: 58 ms at load 9).
    expect(maxLag).toBeLessThan(200);
    expect(stages).toEqual(['analysing', 'composing', 'rendering', 'encoding']);

    const local = await composeTrack(request);
    expect(same(pooled.mp3, local.mp3)).toBe(true);
    expect(same(pooled.wav, local.wav)).toBe(true);
    expect(same(pooled.midi, local.midi)).toBe(true);
    expect(pooled.plan).toEqual(local.plan);
    expect(pooled.features).toEqual(local.features);
    expect(pooled.produceId).toBe('gen-pool');
  });

  it.runIf(process.platform === 'linux')(
    'runs its threads below the priority of the thread that serves requests',
    () => {
      // The pool has composed above, so its engine thread and that thread's render threads exist.
      const threads = threadNiceness();
      expect(threads.find((t) => t.tid === process.pid)?.nice).toBe(0);
      const background = threads.filter((t) => t.nice === ENGINE_THREAD_NICENESS);
      // One engine thread and its render threads (RENDER_THREADS, 2 by default).
      expect(background.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('fails the job, not the process, when a progress callback fails', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    // As when the stage update's database connection is lost mid-render: an unhandled
    // rejection here would end the worker process (and fail this run).
    const failing = pool.compose({
      image,
      seconds: 10,
      seed: 2,
      onProgress: () => Promise.reject(new Error('connection lost')),
    });
    await expect(failing).rejects.toThrow('connection lost');
    await expect(pool.compose({ image, seconds: 10, seed: 2 })).resolves.toHaveProperty('mp3');
  });

  it('passes AppErrors through with their code, then keeps working', async () => {
    const error = await pool
      .compose({ image: new Uint8Array([1, 2, 3]), seconds: 10, seed: 1 })
      .catch((e: unknown) => e);
    expect(isEngineError(error) && error.code).toBe('unreadable_image');
    const invalid = await pool
      .compose({ image: new Uint8Array([1]), seconds: 5, seed: 1 })
      .catch((e: unknown) => e);
    expect(isEngineError(invalid) && invalid.code).toBe('invalid_request');
  });

  it('checks the safety of an upload in its thread with the same answer, the event loop free', async () => {
    const image = await readFile(`${IMAGES}/kodak_kodim23_parrots.jpg`);
    await pool.assessSafety(image); // loads the model in the thread if it is not yet loaded
    const { value: pooled, maxLag } = await measuringLag(() =>
      Promise.all([1, 2, 3].map(() => pool.assessSafety(image))),
    );
    // Three inferences on this thread would block it ~180 ms at a stretch at rest (and several
    // times that at load); the margin is for the scheduler, as above.
    expect(maxLag).toBeLessThan(200);
    const local = await assessImageSafety(image);
    for (const safety of pooled) {
      expect(safety.safe).toBe(true);
      expect(Object.keys(safety.scores).sort()).toEqual(Object.keys(local.scores).sort());
      for (const [name, score] of Object.entries(local.scores)) {
        expect(safety.scores[name]).toBeCloseTo(score, 5);
      }
    }
    const broken = await pool.assessSafety(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(Error);
    // …and the thread goes on working after a failed check.
    await expect(pool.assessSafety(image)).resolves.toMatchObject({ safe: true });
  });

  it('rejects work after close', async () => {
    const closed = createComposeWorkerPool();
    await closed.close();
    await expect(
      closed.compose({ image: new Uint8Array([1]), seconds: 10, seed: 1 }),
    ).rejects.toThrow(/closed/);
    await expect(closed.assessSafety(new Uint8Array([1]))).rejects.toThrow(/closed/);
  });
});
