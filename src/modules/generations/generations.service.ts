import { randomInt } from 'node:crypto';
import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { JobQueue } from '../../adapters/queue/job-queue.js';
import type { ObjectVault, VaultFile } from '../../adapters/storage/object-vault.js';
import { transactionExecutor, type Db, type DbTransaction } from '../../db/database.js';
import type { GenerationsTable } from '../../db/schema.js';
import {
  generateMusicJobName,
  generateMusicPayload,
} from '../../jobs/payloads/generate-music.payload.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { getCreditBalance, reserveCredits } from '../credits/credits.service.js';
import { stripImageMetadata, validateImage, type ImageLimits } from './image-validation.js';
// The engine's own limits (a leaf module: importing it does not load the engine).
import { isWholeNumberIn, MAX_SECONDS, MAX_SEED, MIN_SECONDS } from '../../music/limits.js';
import { moodOf, type Mood } from '../../music/plan/music-plan.js';
import type { GenerationDerivation } from '../../db/schema.js';
import {
  parseStoredControls,
  validateControls,
  type GenerationControls,
} from './generation-controls.js';
import { parsePlanSummary, type PlanSummary } from './plan-summary.js';
import { audioFormatInfo, outputKey, type AudioFormat } from './output-files.js';
import {
  findGenerationByIdempotencyKey,
  findLiveGenerationIds,
  findUserGeneration,
  insertQueuedGeneration as insertGenerationRow,
  listUserGenerationViews,
  openPlanJson,
  openTitle,
  viewRowOf,
  type GenerationRow,
  type GenerationViewRow,
  type NewGeneration,
} from './generations.repository.js';

/** Inputs are deleted when generation ends and, whatever happens, within this time. */
export const INPUT_RETENTION_HOURS = 72;
/** Generated music is deleted this long after generation. */
export const OUTPUT_RETENTION_HOURS = 24;

export interface GenerationDeps {
  db: Db;
  vault: ObjectVault;
  masterKey: MasterKey;
  clock: Clock;
  queue: JobQueue;
  limits: ImageLimits & { maxTextChars: number };
  /** Credits one generation costs, reserved when it is submitted. */
  generationCost: number;
}

export interface SubmitGenerationInput {
  userId: string;
  image: Uint8Array;
  text?: string | undefined;
  seconds: number;
  seed?: number | undefined;
  idempotencyKey?: string | undefined;
  controls?: GenerationControls | undefined;
}

export type { PlanSummary };

export interface GenerationView {
  id: string;
  status: GenerationsTable['status'];
  stage: GenerationsTable['stage'];
  seconds: number;
  seed: number;
  createdAt: string;
  finishedAt: string | null;
  /** When the generated file will be deleted. */
  expiresAt: string | null;
  downloadable: boolean;
  plan: PlanSummary | null;
  error: { code: string; message: string } | null;
  /** The explicit choices made on the create page, if any. */
  controls: GenerationControls | null;
  /** The piece this one is a variation of. */
  parentId: string | null;
  /** How it was made from its parent: a variation, one of two versions, or an extension. */
  derivation: GenerationDerivation | null;
  /** The owner's own title; null: the page names the piece from its plan. */
  title: string | null;
  /** The mood chosen on the create page, else the one nearest the plan's valence and arousal. */
  mood: Mood | null;
  /** Whether a variation can be made now (finished and still within retention). */
  canVary: boolean;
}

const failureMessages: Record<string, string> = {
  input_missing: 'The uploaded image was no longer available, so nothing was generated.',
  engine_failed: 'The music engine could not finish this piece. Please try again.',
  unprocessable_image: 'The image could not be analysed.',
  invalid_plan:
    'The original piece could not be read back, so no variation was made. Nothing was charged.',
  content_rejected:
    'This image cannot be used under our content rules. Nothing was charged; please choose another image.',
};

export async function submitGeneration(
  deps: GenerationDeps,
  input: SubmitGenerationInput,
): Promise<GenerationView> {
  const text = input.text?.trim() ? input.text.trim() : undefined;
  if (text && [...text].length > deps.limits.maxTextChars) {
    throw AppError.because(
      'text_too_long',
      `the description may be at most ${deps.limits.maxTextChars} characters`,
      { maxChars: deps.limits.maxTextChars },
    );
  }
  if (!isWholeNumberIn(input.seconds, MIN_SECONDS, MAX_SECONDS)) {
    throw AppError.because(
      'seconds_out_of_range',
      `length must be between ${MIN_SECONDS} and ${MAX_SECONDS} seconds`,
      { min: MIN_SECONDS, max: MAX_SECONDS },
    );
  }
  const seed = resolveSeed(input.seed);
  const earlier = await earlierAnswer(deps, input.userId, input.idempotencyKey, null);
  if (earlier) return earlier;
  // A cheap early refusal; the reservation below is the check that counts.
  const balance = await getCreditBalance(deps.db, input.userId);
  if (balance < deps.generationCost) {
    throw AppError.because(
      'credits_insufficient',
      `you have ${balance} credit${balance === 1 ? '' : 's'}; a piece costs ${deps.generationCost}. Buy credits to continue.`,
      { balance, needed: deps.generationCost },
      { balance, needed: deps.generationCost },
    );
  }
  const controls = input.controls ? validateControls(input.controls) : undefined;
  const image = await validateImage(input.image, deps.limits);
  const original = await stripImageMetadata(input.image, image.mime, deps.limits);

  const id = newId();
  const now = deps.clock.now();
  const inputObject = `inputs/${input.userId}/${id}`;
  const userKey = await requireUserKey(deps.db, deps.masterKey, input.userId);
  await deps.vault.put(userKey, inputObject, original);
  try {
    const created = await deps.db.transaction().execute((trx) =>
      insertQueuedGeneration(
        deps,
        trx,
        {
          id,
          user_id: input.userId,
          seed,
          seconds: input.seconds,
          idempotency_key: input.idempotencyKey ?? null,
          input_object: inputObject,
          input_mime: image.mime,
          text: text ?? null,
          controls: controls ?? null,
          created_at: now,
          input_expires_at: new Date(now.getTime() + INPUT_RETENTION_HOURS * HOUR_MS),
          parent_id: null,
          derivation: null,
          recipe: null,
        },
        userKey,
      ),
    );
    if (created) return toView(deps, viewRowOf(created));
  } catch (error) {
    await deps.vault.delete(inputObject);
    throw error;
  }
  // A double click with the same idempotency key lost the race: answer with the winner.
  await deps.vault.delete(inputObject);
  return raceWinner(deps, input.userId, input.idempotencyKey, null, 'the generation');
}

/** The seed asked for (checked against the engine's range), or a random one. */
export function resolveSeed(seed: number | undefined): number {
  const resolved = seed ?? randomInt(0, MAX_SEED);
  if (!isWholeNumberIn(resolved, 0, MAX_SEED)) {
    throw AppError.because('seed_invalid', `seed must be a whole number from 0 to ${MAX_SEED}`, {
      max: MAX_SEED,
    });
  }
  return resolved;
}

/** A request repeated with its idempotency key answers with what the first one created. */
async function earlierAnswer(
  deps: GenerationDeps,
  userId: string,
  idempotencyKey: string | undefined,
  parentId: string | null,
): Promise<GenerationView | null> {
  if (!idempotencyKey) return null;
  const existing = await findGenerationByIdempotencyKey(deps.db, userId, idempotencyKey);
  return existing ? toView(deps, viewRowOf(sameRequestOrRefuse(existing, parentId))) : null;
}

/** Two requests with one idempotency key raced and the other inserted first: answer with it. */
async function raceWinner(
  deps: GenerationDeps,
  userId: string,
  idempotencyKey: string | undefined,
  parentId: string | null,
  what: string,
): Promise<GenerationView> {
  const winner = await findGenerationByIdempotencyKey(deps.db, userId, idempotencyKey ?? '');
  if (!winner) throw AppError.because('try_again', `${what} could not be created; try again`);
  return toView(deps, viewRowOf(sameRequestOrRefuse(winner, parentId)));
}

/**
 * An idempotency key answers again only the request it was first used for: an upload's key
 * never returns a variation and a variation's key never returns the upload or another
 * variation (the keys share one column, so the request kind is checked here).
 */
export function sameRequestOrRefuse(
  existing: GenerationRow,
  parentId: string | null,
): GenerationRow {
  if (existing.parent_id !== parentId) {
    throw AppError.because(
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different request; send a new key',
    );
  }
  return existing;
}

/**
 * The row, the credit reservation and the job, in the caller's transaction: a crash before
 * commit leaves none of them, and too few credits (checked under the account lock) rolls the
 * row back. Resolves null when the idempotency key already names a generation.
 */
export async function insertQueuedGeneration(
  deps: Pick<GenerationDeps, 'queue' | 'generationCost'>,
  trx: DbTransaction,
  values: NewGeneration,
  userKey: Uint8Array,
): Promise<GenerationRow | null> {
  const row = await insertGenerationRow(trx, userKey, values);
  if (!row) return null;
  await reserveCredits(trx, values.created_at, {
    userId: values.user_id,
    generationId: values.id,
    cost: deps.generationCost,
  });
  await deps.queue.enqueue(
    { name: generateMusicJobName, payload: generateMusicPayload },
    { generationId: values.id },
    { executor: transactionExecutor(trx) },
  );
  return row;
}

export async function requireGeneration(
  deps: Pick<GenerationDeps, 'db'>,
  userId: string,
  id: string,
): Promise<GenerationRow> {
  // Another user's generation answers exactly like a missing one, so ids reveal nothing.
  const row = isUuid(id) ? await findUserGeneration(deps.db, userId, id) : undefined;
  if (!row) throw AppError.because('piece_not_found', 'no such generation');
  return row;
}

export async function getGeneration(
  deps: GenerationDeps,
  userId: string,
  id: string,
): Promise<GenerationView> {
  return toView(deps, viewRowOf(await requireGeneration(deps, userId, id)));
}

export async function listGenerations(
  deps: GenerationDeps,
  userId: string,
): Promise<GenerationView[]> {
  // Only what a view shows: the encrypted recipe and description are the bulk of a row and
  // are not needed to list pieces.
  const rows = await listUserGenerationViews(deps.db, userId, 100);
  // One key lookup for the whole list, not one per finished piece.
  let userKey: Promise<Buffer> | undefined;
  const keyOnce = (): Promise<Buffer> =>
    (userKey ??= requireUserKey(deps.db, deps.masterKey, userId));
  const views: GenerationView[] = [];
  for (const row of rows) views.push(await toView(deps, row, keyOnce));
  return views;
}

/** One of a finished piece's files, opened to be read in whole or in part. */
export async function openGenerationAudio(
  deps: GenerationDeps,
  userId: string,
  id: string,
  format: AudioFormat = 'mp3',
): Promise<{ file: VaultFile; filename: string; contentType: string }> {
  const row = await requireGeneration(deps, userId, id);
  if (row.status !== 'done')
    throw AppError.because('piece_not_ready', 'this piece is not ready yet');
  if (!row.output_object || isExpired(deps.clock, row.output_expires_at)) {
    throw AppError.because(
      'piece_deleted',
      'this piece has been deleted; generated music is kept for 24 hours',
    );
  }
  const userKey = await requireUserKey(deps.db, deps.masterKey, userId);
  const file = await deps.vault.open(userKey, outputKey(row.output_object, format));
  if (!file) throw AppError.because('piece_deleted', 'this piece has been deleted');
  const { contentType, extension } = audioFormatInfo[format];
  return { file, filename: `instune-${row.id.slice(0, 8)}.${extension}`, contentType };
}

export async function toView(
  deps: Pick<GenerationDeps, 'db' | 'masterKey' | 'clock'>,
  row: GenerationViewRow,
  userKey: () => Promise<Buffer> = () => requireUserKey(deps.db, deps.masterKey, row.user_id),
): Promise<GenerationView> {
  let plan: PlanSummary | null = null;
  if (row.plan_enc) {
    const key = await userKey();
    plan = parsePlanSummary(openPlanJson(key, { id: row.id, plan_enc: row.plan_enc }), row.id);
  }
  const controls = parseStoredControls(row.controls, row.id);
  const downloadable =
    row.status === 'done' &&
    row.output_object !== null &&
    !isExpired(deps.clock, row.output_expires_at);
  return {
    id: row.id,
    status: row.status,
    stage: row.stage,
    seconds: row.seconds,
    seed: row.seed,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    expiresAt: row.output_expires_at?.toISOString() ?? null,
    downloadable,
    plan,
    controls,
    parentId: row.parent_id,
    derivation: row.derivation ?? (row.parent_id ? 'variation' : null),
    title: row.title_enc
      ? openTitle(await userKey(), { id: row.id, title_enc: row.title_enc })
      : null,
    mood: controls?.mood ?? (plan ? moodOf(plan) : null),
    canVary: downloadable && row.has_recipe,
    error: row.error_code
      ? {
          code: row.error_code,
          message: failureMessages[row.error_code] ?? 'The generation failed.',
        }
      : null,
  };
}

export function isExpired(clock: Clock, at: Date | null): boolean {
  return at !== null && at.getTime() <= clock.now().getTime();
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Of these pieces, the ones that can still be opened (the credit history links only those). */
export function livePieceIds(
  deps: { db: Db; clock: Clock },
  userId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  return findLiveGenerationIds(deps.db, userId, ids, deps.clock.now());
}
