import { startWorker } from '../worker-thread.js';
import type { ImageFeatures } from './image-features.js';
import type { ImageReading } from '../plan/content-choices.js';
import type { PerceptionReply } from './perception-worker.js';

/**
 * Reads one picture on a thread of its own, ended as soon as it has answered: for a process that
 * makes one piece and exits (the command line). TensorFlow.js, sharp and the four vision models
 * then load beside the calling thread's own start-up (its modules and sound bank) instead of
 * before it, and their memory (~150 MiB resident: the models, their WebAssembly heap, the
 * modules) is given back before the render starts instead of staying under its peak. A service
 * keeps its models loaded between requests instead (perception in the calling thread).
 * The reading is the same wherever it is made: the same code on the same bytes.
 */
export function readImageOnThread(
  image: Uint8Array,
): Promise<{ features: ImageFeatures; reading: ImageReading }> {
  const worker = startWorker(new URL('./perception-worker.js', import.meta.url), { image });
  const answer = new Promise<{ features: ImageFeatures; reading: ImageReading }>(
    (resolve, reject) => {
      worker.once('message', (reply: PerceptionReply) => {
        if (reply.ok) resolve({ features: reply.features, reading: reply.reading });
        else reject(new Error(reply.message));
      });
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`perception thread exited with code ${code}`)),
      );
    },
  );
  const end = (): Promise<number> => worker.terminate();
  return answer.then(
    async (read) => {
      await end();
      return read;
    },
    async (error: unknown) => {
      await end();
      throw error;
    },
  );
}
