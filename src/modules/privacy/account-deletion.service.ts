import type { JobQueue } from '../../adapters/queue/job-queue.js';
import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import { transactionExecutor, type Db } from '../../db/database.js';
import {
  deleteAccountJobName,
  deleteAccountPayload,
} from '../../jobs/payloads/delete-account.payload.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { requireGeneration } from '../generations/generations.service.js';
import { deleteOutputFiles } from '../generations/output-files.js';
import {
  deleteUserGeneration,
  deleteUserGenerations,
  listUserGenerationFiles,
} from '../generations/generation-retention.repository.js';
import { shredUserKey } from '../accounts/user-keys.js';
import { deleteUser, findUser, releaseIdentity } from '../accounts/users.repository.js';
import { deleteUserExports } from './data-export.service.js';
import { pseudonymiseUserRequests } from './rights-requests.service.js';

export interface AccountDeletionDeps {
  db: Db;
  vault: ObjectVault;
  clock: Clock;
  queue: JobQueue;
}

const CANCELLED_ISSUER = 'instune:cancelled';

/**
 * Cancels an account at once: the data key is destroyed first (so every field and file of the
 * user is unreadable from this moment, backups included), sessions end, the sign-in identity is
 * released (signing in again starts a new, empty account), and a job deletes files and rows:
 * generations, export ZIPs, sessions, credits, consent and acceptances (by cascade), and
 * unlinks the rights tickets (kept unlinked as the record that requests were answered).
 */
export async function cancelAccount(deps: AccountDeletionDeps, userId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await shredUserKey(trx, userId);
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await releaseIdentity(trx, userId, CANCELLED_ISSUER);
    await deps.queue.enqueue(
      { name: deleteAccountJobName, payload: deleteAccountPayload },
      { userId },
      { executor: transactionExecutor(trx), singletonKey: userId },
    );
  });
}

/** The job's work: files first, then rows. Safe to repeat. */
export async function purgeCancelledAccount(
  deps: Pick<AccountDeletionDeps, 'db' | 'vault'>,
  userId: string,
): Promise<void> {
  const user = await findUser(deps.db, userId);
  if (!user) return;
  if (user.oidc_issuer !== CANCELLED_ISSUER)
    throw new Error('refusing to purge an account that was not cancelled');
  const generations = await listUserGenerationFiles(deps.db, userId);
  for (const g of generations) {
    if (g.input_object) await deps.vault.delete(g.input_object);
    if (g.output_object) await deleteOutputFiles(deps.vault, g.output_object);
  }
  await deleteUserExports(deps, userId);
  await deps.db.transaction().execute(async (trx) => {
    await deleteUserGenerations(trx, userId);
    await pseudonymiseUserRequests(trx, userId);
    await deleteUser(trx, userId);
  });
}

/** The user deletes one generation: its files and its row, now. */
export async function deleteGeneration(
  deps: Pick<AccountDeletionDeps, 'db' | 'vault'>,
  userId: string,
  generationId: string,
): Promise<void> {
  const row = await requireGeneration(deps, userId, generationId);
  if (row.status === 'queued' || row.status === 'running') {
    throw AppError.because(
      'piece_in_progress',
      'this piece is still being generated; delete it when it is finished',
    );
  }
  if (row.input_object) await deps.vault.delete(row.input_object);
  if (row.output_object) await deleteOutputFiles(deps.vault, row.output_object);
  await deleteUserGeneration(deps.db, userId, row.id);
}
