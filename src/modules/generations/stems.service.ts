import type { VaultFile } from '../../adapters/storage/object-vault.js';
import { AppError } from '../../lib/errors.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { requireGeneration, type GenerationDeps } from './generations.service.js';
import { stemsKey } from './output-files.js';

/**
 * The stems of a finished piece: a ZIP of one WAV per part, each carrying the AIGC label, kept
 * and deleted with the piece's other files (24 hours), opened to be streamed whole or in part
 * like the audio. Pieces made before stems existed have none.
 */
export async function openGenerationStems(
  deps: Pick<GenerationDeps, 'db' | 'vault' | 'masterKey' | 'clock'>,
  userId: string,
  id: string,
): Promise<{ file: VaultFile; filename: string }> {
  const row = await requireGeneration(deps, userId, id);
  if (row.status !== 'done')
    throw AppError.because('piece_not_ready', 'this piece is not ready yet');
  const expired =
    row.output_expires_at !== null && row.output_expires_at.getTime() <= deps.clock.now().getTime();
  if (!row.output_object || expired) {
    throw AppError.because(
      'piece_deleted',
      'this piece has been deleted; generated music is kept for 24 hours',
    );
  }
  const userKey = await requireUserKey(deps.db, deps.masterKey, userId);
  const file = await deps.vault.open(userKey, stemsKey(row.output_object));
  if (!file) throw AppError.because('stems_missing', 'this piece was made without stems');
  return { file, filename: `instune-${row.id.slice(0, 8)}-stems.zip` };
}
