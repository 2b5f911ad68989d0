import { AppError } from '../../lib/errors.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { requireGeneration, type GenerationDeps } from './generations.service.js';
import { stemsKey } from './output-files.js';

/**
 * The stems of a finished piece: a ZIP of one WAV per part, each carrying the AIGC label, kept
 * and deleted with the piece's other files (24 hours). Pieces made before stems existed have
 * none.
 */
export async function readGenerationStems(
  deps: Pick<GenerationDeps, 'db' | 'vault' | 'masterKey' | 'clock'>,
  userId: string,
  id: string,
): Promise<{ bytes: Buffer; filename: string }> {
  const row = await requireGeneration(deps, userId, id);
  if (row.status !== 'done') throw new AppError('conflict', 'this piece is not ready yet');
  const expired =
    row.output_expires_at !== null && row.output_expires_at.getTime() <= deps.clock.now().getTime();
  if (!row.output_object || expired) {
    throw new AppError('gone', 'this piece has been deleted; generated music is kept for 24 hours');
  }
  const userKey = await requireUserKey(deps.db, deps.masterKey, userId);
  const bytes = await deps.vault.get(userKey, stemsKey(row.output_object));
  if (!bytes) throw new AppError('not_found', 'this piece was made without stems');
  return { bytes, filename: `instune-${row.id.slice(0, 8)}-stems.zip` };
}
