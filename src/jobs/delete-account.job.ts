import {
  purgeCancelledAccount,
  type AccountDeletionDeps,
} from '../modules/privacy/account-deletion.service.js';
import { deleteAccountJobName, deleteAccountPayload } from './payloads/delete-account.payload.js';
import { defineJob } from '../adapters/queue/job-definition.js';

/** Deletes a cancelled account's files and rows (its key was already destroyed at cancellation). */
export function createDeleteAccountJob(deps: Pick<AccountDeletionDeps, 'db' | 'vault'>) {
  return defineJob({
    name: deleteAccountJobName,
    payload: deleteAccountPayload,
    retry: { limit: 10, delaySeconds: 60, backoff: true },
    expireInSeconds: 15 * 60,
    handle: async (payload, attempt) => {
      await purgeCancelledAccount(deps, payload.userId);
      attempt.log.info({ userId: payload.userId }, 'cancelled account purged');
    },
  });
}
