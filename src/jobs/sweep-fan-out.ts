import type { JobQueue } from '../adapters/queue/job-queue.js';

/**
 * A sweep's fan-out: one job per due entity, singleton per entity, so sweeps that overlap (a slow
 * run and the next one) queue each entity's work once. The job re-checks the entity itself.
 */
export async function enqueueOnePerKey<P>(
  queue: JobQueue,
  job: { name: string; payload: { parse(value: unknown): P } },
  keys: Iterable<string>,
  payloadOf: (key: string) => P,
): Promise<void> {
  for (const key of keys) await queue.enqueue(job, payloadOf(key), { singletonKey: key });
}
