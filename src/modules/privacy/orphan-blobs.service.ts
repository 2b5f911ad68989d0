import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import type { Db } from '../../db/database.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { ownsInput, ownsOutput } from '../generations/generation-retention.repository.js';

export interface OrphanBlobDeps {
  db: Db;
  vault: ObjectVault;
  clock: Clock;
}

/** Keys looked at per sweep; the next sweep goes on from where this one stopped. */
export const ORPHAN_SWEEP_BATCH = 1000;
/**
 * A blob younger than this is never judged: an upload is stored before its row commits and an
 * export before its row says ready, so a fresh blob without an owner may simply be arriving.
 */
export const ORPHAN_GRACE_MS = HOUR_MS;
const CURSOR = 'orphan-blobs';

type Owner =
  | { kind: 'input'; generationId: string }
  | { kind: 'output'; generationId: string; prefix: string }
  | { kind: 'export'; exportId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const INPUT_KEY = new RegExp(`^inputs/(${UUID})/(${UUID})$`);
const OUTPUT_KEY = new RegExp(`^(outputs/(${UUID})/(${UUID}))/[a-z0-9]+$`);
const EXPORT_KEY = new RegExp(`^exports/(${UUID})/(${UUID})$`);

/** Which row would own a key, by the key layout the services write; null for any other key. */
function ownerOf(key: string): Owner | null {
  const input = INPUT_KEY.exec(key);
  if (input?.[2]) return { kind: 'input', generationId: input[2] };
  const output = OUTPUT_KEY.exec(key);
  if (output?.[1] && output[3])
    return { kind: 'output', generationId: output[3], prefix: output[1] };
  const exported = EXPORT_KEY.exec(key);
  if (exported?.[2]) return { kind: 'export', exportId: exported[2] };
  return null;
}

/**
 * Is the blob still pointed at? An input by its generation's `input_object`; output files by
 * their generation's `output_object`, or by a generation still queued or running (it stores its
 * files before the commit that records them); an export by its row, or a pending export.
 */
async function isOwned(db: Db, key: string, owner: Owner): Promise<boolean> {
  if (owner.kind === 'input') {
    return ownsInput(db, owner.generationId, key);
  }
  if (owner.kind === 'output') {
    return ownsOutput(db, owner.generationId, owner.prefix);
  }
  const row = await db
    .selectFrom('data_exports')
    .select('id')
    .where('id', '=', owner.exportId)
    .where((eb) => eb.or([eb('object_key', '=', key), eb('status', '=', 'pending')]))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The scheduled check: looks at the next batch of stored keys (the walk resumes where the last
 * one stopped and starts over at the end) and returns those no row owns and that are older
 * than the grace period. Such files are left by a crash between a commit and the file deletion
 * that follows it; the policy promises they go all the same.
 */
export async function findOrphanBlobs(
  deps: OrphanBlobDeps,
  limit = ORPHAN_SWEEP_BATCH,
): Promise<{ orphans: string[]; looked: number; wrapped: boolean }> {
  const cursor = await deps.db
    .selectFrom('sweep_cursors')
    .select('after_key')
    .where('name', '=', CURSOR)
    .executeTakeFirst();
  const batch = await deps.vault.store.list({ after: cursor?.after_key ?? undefined, limit });
  const wrapped = batch.length < limit;
  const next = wrapped ? null : (batch.at(-1)?.key ?? null);
  const now = deps.clock.now();
  await deps.db
    .insertInto('sweep_cursors')
    .values({ name: CURSOR, after_key: next, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ after_key: next, updated_at: now }))
    .execute();
  const orphans: string[] = [];
  for (const blob of batch) {
    if (now.getTime() - blob.modifiedAt.getTime() < ORPHAN_GRACE_MS) continue;
    const owner = ownerOf(blob.key);
    if (owner && !(await isOwned(deps.db, blob.key, owner))) orphans.push(blob.key);
  }
  return { orphans, looked: batch.length, wrapped };
}

/** One orphan: checked again (the sweep's view may be stale), then deleted. */
export async function deleteOrphanBlob(deps: OrphanBlobDeps, key: string): Promise<boolean> {
  const owner = ownerOf(key);
  if (!owner || (await isOwned(deps.db, key, owner))) return false;
  const blob = await deps.vault.store.stat(key);
  if (!blob) return false;
  if (deps.clock.now().getTime() - blob.modifiedAt.getTime() < ORPHAN_GRACE_MS) return false;
  await deps.vault.delete(key);
  return true;
}

/**
 * Once per walk of the store: partial files of writes a crash interrupted, and per-user folders
 * left empty by deletions (a cancelled user's folders named their id), older than the grace
 * period. Neither is a key, so the orphan walk never sees them.
 */
export async function sweepStoreLeftovers(
  deps: OrphanBlobDeps,
): Promise<{ partialFiles: number; emptyFolders: number }> {
  const before = new Date(deps.clock.now().getTime() - ORPHAN_GRACE_MS);
  return (await deps.vault.store.sweepLeftovers?.(before)) ?? { partialFiles: 0, emptyFolders: 0 };
}
