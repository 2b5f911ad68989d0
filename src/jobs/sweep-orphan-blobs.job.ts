import { z } from 'zod';
import type { JobQueue } from '../adapters/queue/job-queue.js';
import {
  deleteOrphanBlob,
  findOrphanBlobs,
  sweepStoreLeftovers,
  type OrphanBlobDeps,
} from '../modules/privacy/orphan-blobs.service.js';
import { defineJob } from '../adapters/queue/job-definition.js';
import { sweepRetryPolicy } from './job-policies.js';
import { enqueueOnePerKey } from './sweep-fan-out.js';

export const sweepOrphanBlobsJobName = 'sweep-orphan-blobs';
/** Every 15 minutes, one batch: a store of 100,000 files is walked about once a day. */
export const sweepOrphanBlobsCron = '*/15 * * * *';
export const deleteOrphanBlobJobName = 'delete-orphan-blob';
export const deleteOrphanBlobPayload = z.object({ key: z.string().min(1).max(300) }).strict();

/**
 * The scheduled check for files no row owns (left by a crash between a commit and the file
 * deletion after it): one batch of keys per run, one delete job per orphan.
 */
export function createSweepOrphanBlobsJob(deps: OrphanBlobDeps & { queue: () => JobQueue }) {
  return defineJob({
    name: sweepOrphanBlobsJobName,
    payload: z.object({}).passthrough(),
    ...sweepRetryPolicy,
    handle: async (_payload, attempt) => {
      const { orphans, looked, wrapped } = await findOrphanBlobs(deps);
      await enqueueOnePerKey(
        deps.queue(),
        { name: deleteOrphanBlobJobName, payload: deleteOrphanBlobPayload },
        orphans,
        (key) => ({ key }),
      );
      // The walk came to the end of the store: clear what is not a key once per round.
      const leftovers = wrapped ? await sweepStoreLeftovers(deps) : undefined;
      attempt.log.info(
        { looked, orphans: orphans.length, wrapped, ...leftovers },
        'orphan blob sweep',
      );
    },
  });
}

/** One orphan: re-checked, then deleted; safe to repeat. */
export function createDeleteOrphanBlobJob(deps: OrphanBlobDeps) {
  return defineJob({
    name: deleteOrphanBlobJobName,
    payload: deleteOrphanBlobPayload,
    retry: { limit: 5, delaySeconds: 30, backoff: true },
    expireInSeconds: 60,
    // The key names a user id and a generation id, never content; fine for the log.
    handle: async (payload, attempt) => {
      const deleted = await deleteOrphanBlob(deps, payload.key);
      attempt.log.info({ key: payload.key, deleted }, 'orphan blob');
    },
  });
}
