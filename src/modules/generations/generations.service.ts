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
import { MAX_SECONDS, MAX_SEED, MIN_SECONDS } from '../../music/limits.js';
import { moodOf, type Mood } from '../../music/plan/music-plan.js';
import { extendPlan, planSeconds } from '../../music/plan/extend.js';
import { parseRecipe } from '../../music/plan/plan-schema.js';
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
  openRecipeJson,
  openTitle,
  setGenerationTitle,
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
  if (
    !Number.isInteger(input.seconds) ||
    input.seconds < MIN_SECONDS ||
    input.seconds > MAX_SECONDS
  ) {
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
function resolveSeed(seed: number | undefined): number {
  const resolved = seed ?? randomInt(0, MAX_SEED);
  if (!Number.isInteger(resolved) || resolved < 0 || resolved > MAX_SEED) {
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
function sameRequestOrRefuse(existing: GenerationRow, parentId: string | null): GenerationRow {
  if (existing.parent_id !== parentId) {
    throw AppError.because(
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different request; send a new key',
    );
  }
  return existing;
}

/** A finished piece whose recipe is still kept, or the reason none can be made from it. */
async function requireDerivable(
  deps: GenerationDeps,
  userId: string,
  parentId: string,
): Promise<GenerationRow & { recipe_enc: Uint8Array }> {
  const parent = await requireGeneration(deps, userId, parentId);
  if (
    parent.status !== 'done' ||
    !parent.recipe_enc ||
    isExpired(deps.clock, parent.output_expires_at)
  ) {
    throw parent.status === 'done'
      ? AppError.because(
          'piece_deleted',
          'this piece has been deleted (music is kept 24 hours); upload the image again for new variations',
        )
      : AppError.because('piece_not_ready', 'a variation can be made once the piece is finished');
  }
  return { ...parent, recipe_enc: parent.recipe_enc };
}

/** What a derived piece takes from its parent and what it changes. */
interface Derived {
  seed: number;
  seconds: number;
  recipe: string;
  derivation: GenerationDerivation;
  idempotencyKey: string | null;
}

/** The rows for pieces derived from one parent, all queued and paid for in one commit. */
async function insertDerived(
  deps: GenerationDeps,
  userId: string,
  parent: GenerationRow,
  pieces: readonly Derived[],
  userKey: Uint8Array,
): Promise<(GenerationRow | null)[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const rows: (GenerationRow | null)[] = [];
    for (const piece of pieces) {
      rows.push(
        await insertQueuedGeneration(
          deps,
          trx,
          {
            id: newId(),
            user_id: userId,
            seed: piece.seed,
            seconds: piece.seconds,
            idempotency_key: piece.idempotencyKey,
            input_object: null,
            input_mime: null,
            text: null,
            controls: parent.controls,
            created_at: now,
            input_expires_at: new Date(now.getTime() + INPUT_RETENTION_HOURS * HOUR_MS),
            parent_id: parent.id,
            derivation: piece.derivation,
            recipe: piece.recipe,
          },
          userKey,
        ),
      );
    }
    return rows;
  });
}

/** A derived piece for a key already used: the same request answers again, another is refused. */
async function sameDerived(
  deps: GenerationDeps,
  userId: string,
  key: string | undefined,
  parentId: string,
  derivation: GenerationDerivation,
): Promise<GenerationRow | undefined> {
  if (!key) return undefined;
  const existing = await findGenerationByIdempotencyKey(deps.db, userId, key);
  if (!existing) return undefined;
  const row = sameRequestOrRefuse(existing, parentId);
  if ((row.derivation ?? 'variation') !== derivation) {
    throw AppError.because(
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different request; send a new key',
    );
  }
  return row;
}

/**
 * A variation: the original's plan composed again with a new seed. It needs no image (that was
 * deleted after generation), only the original's recipe, which lives as long as its music.
 */
export async function submitVariation(
  deps: GenerationDeps,
  input: {
    userId: string;
    parentId: string;
    seed?: number | undefined;
    idempotencyKey?: string | undefined;
  },
): Promise<GenerationView> {
  const parent = await requireDerivable(deps, input.userId, input.parentId);
  const seed = resolveSeed(input.seed);
  const key = input.idempotencyKey;
  const existing = await sameDerived(deps, input.userId, key, parent.id, 'variation');
  if (existing) return toView(deps, viewRowOf(existing));
  const userKey = await requireUserKey(deps.db, deps.masterKey, input.userId);
  const recipe = openRecipeJson(userKey, parent);
  const [created] = await insertDerived(
    deps,
    input.userId,
    parent,
    [
      {
        seed,
        seconds: parent.seconds,
        recipe,
        derivation: 'variation',
        idempotencyKey: key ?? null,
      },
    ],
    userKey,
  );
  const row = created ?? (await sameDerived(deps, input.userId, key, parent.id, 'variation'));
  if (!row) throw AppError.because('try_again', 'the variation could not be created; try again');
  return toView(deps, viewRowOf(row));
}

/** How many pieces "give me two versions" makes. */
export const VERSION_COUNT = 2;

/**
 * "Give me two versions": the original's plan composed with two new seeds, each charged as one
 * piece. Both are queued in one commit, so with credits for only one neither is made (the
 * refusal says what two cost). One Idempotency-Key covers the pair (`<key>` and `<key>#2`).
 */
export async function submitVersions(
  deps: GenerationDeps,
  input: { userId: string; parentId: string; idempotencyKey?: string | undefined },
): Promise<GenerationView[]> {
  const parent = await requireDerivable(deps, input.userId, input.parentId);
  const keys = Array.from({ length: VERSION_COUNT }, (_, i) =>
    input.idempotencyKey === undefined
      ? undefined
      : i === 0
        ? input.idempotencyKey
        : `${input.idempotencyKey}#${i + 1}`,
  );
  const answered = async () => {
    const rows = await Promise.all(
      keys.map((k) => sameDerived(deps, input.userId, k, parent.id, 'version')),
    );
    return rows.every((r) => r !== undefined) ? rows : undefined;
  };
  const earlier = await answered();
  if (earlier) return Promise.all(earlier.map((r) => toView(deps, viewRowOf(r))));
  const balance = await getCreditBalance(deps.db, input.userId);
  const needed = deps.generationCost * VERSION_COUNT;
  if (balance < needed) {
    throw AppError.because(
      'credits_insufficient',
      `two versions cost ${needed} credits (${deps.generationCost} each) and you have ${balance}. Buy credits to continue.`,
      { balance, needed },
    );
  }
  const userKey = await requireUserKey(deps.db, deps.masterKey, input.userId);
  const recipe = openRecipeJson(userKey, parent);
  // Two different seeds, neither the original's: otherwise a "version" could repeat a piece.
  const seeds: number[] = [];
  while (seeds.length < VERSION_COUNT) {
    const seed = randomInt(0, MAX_SEED);
    if (seed !== parent.seed && !seeds.includes(seed)) seeds.push(seed);
  }
  const created = await insertDerived(
    deps,
    input.userId,
    parent,
    seeds.map((seed, i) => ({
      seed,
      seconds: parent.seconds,
      recipe,
      derivation: 'version' as const,
      idempotencyKey: keys[i] ?? null,
    })),
    userKey,
  );
  const rows = created.filter((r): r is GenerationRow => r !== null);
  if (rows.length === created.length) {
    return Promise.all(rows.map((r) => toView(deps, viewRowOf(r))));
  }
  const winner = await answered();
  if (!winner) throw AppError.because('try_again', 'the versions could not be created; try again');
  return Promise.all(winner.map((r) => toView(deps, viewRowOf(r))));
}

/** The shortest extension offered: less is not heard as "more of the piece". */
export const MIN_EXTEND_SECONDS = 5;

/**
 * "Extend by N seconds": the same plan with more of its form, composed with the original's seed,
 * so it starts note for note as the original did and goes on (music/plan/extend.ts). Charged as
 * one piece; the whole must stay within the engine's length limit.
 */
export async function submitExtension(
  deps: GenerationDeps,
  input: {
    userId: string;
    parentId: string;
    seconds: number;
    idempotencyKey?: string | undefined;
  },
): Promise<GenerationView> {
  const parent = await requireDerivable(deps, input.userId, input.parentId);
  const room = MAX_SECONDS - parent.seconds;
  if (room < MIN_EXTEND_SECONDS) {
    throw AppError.because(
      'piece_at_longest',
      `this piece is ${parent.seconds} seconds long and pieces can be at most ${MAX_SECONDS}; it cannot be extended further`,
      { max: MAX_SECONDS },
    );
  }
  if (
    !Number.isInteger(input.seconds) ||
    input.seconds < MIN_EXTEND_SECONDS ||
    input.seconds > room
  ) {
    throw AppError.because(
      'extend_out_of_range',
      `extend by a whole number of seconds from ${MIN_EXTEND_SECONDS} to ${room} (pieces can be at most ${MAX_SECONDS} seconds)`,
      { min: MIN_EXTEND_SECONDS, max: room, longest: MAX_SECONDS },
    );
  }
  const key = input.idempotencyKey;
  const existing = await sameDerived(deps, input.userId, key, parent.id, 'extension');
  if (existing) return toView(deps, viewRowOf(existing));
  const userKey = await requireUserKey(deps.db, deps.masterKey, input.userId);
  let recipe: string;
  let seconds: number;
  try {
    const original = parseRecipe(openRecipeJson(userKey, parent));
    const plan = extendPlan(original.plan, input.seconds);
    // The nearest length the tempo allows, held within the limits the column and engine keep.
    seconds = Math.min(MAX_SECONDS, Math.max(parent.seconds + 1, Math.round(planSeconds(plan))));
    recipe = JSON.stringify({ plan, features: original.features });
  } catch (error) {
    // A loop has no ending to go on from; a plan from before v5 cannot keep its notes.
    const reason = error instanceof Error ? error.message : String(error);
    throw AppError.because('piece_not_extendable', `this piece cannot be extended: ${reason}`);
  }
  const [created] = await insertDerived(
    deps,
    input.userId,
    parent,
    [
      {
        seed: parent.seed,
        seconds,
        recipe,
        derivation: 'extension',
        idempotencyKey: key ?? null,
      },
    ],
    userKey,
  );
  const row = created ?? (await sameDerived(deps, input.userId, key, parent.id, 'extension'));
  if (!row) throw AppError.because('try_again', 'the extension could not be created; try again');
  return toView(deps, viewRowOf(row));
}

/** The longest title a piece can have, in characters. */
export const MAX_TITLE_CHARS = 80;

/**
 * Names a piece (or, with an empty title, goes back to the name from its plan). The title is
 * the owner's own text: sealed under their key, deleted with the music.
 */
export async function renameGeneration(
  deps: GenerationDeps,
  input: { userId: string; id: string; title: string },
): Promise<GenerationView> {
  // One line of text: spacing collapsed, control characters refused rather than stored.
  const title = input.title.replace(/\s+/g, ' ').trim();
  if (/\p{Cc}/u.test(title)) {
    throw AppError.because('title_invalid', 'a title cannot contain control characters', {
      max: MAX_TITLE_CHARS,
    });
  }
  if ([...title].length > MAX_TITLE_CHARS) {
    throw AppError.because(
      'title_invalid',
      `a title may be at most ${MAX_TITLE_CHARS} characters`,
      {
        max: MAX_TITLE_CHARS,
      },
    );
  }
  const row = await requireGeneration(deps, input.userId, input.id);
  const userKey = await requireUserKey(deps.db, deps.masterKey, input.userId);
  const changed = await setGenerationTitle(deps.db, userKey, {
    userId: input.userId,
    id: row.id,
    title: title === '' ? null : title,
    now: deps.clock.now(),
  });
  if (!changed) {
    throw row.status === 'done'
      ? AppError.because(
          'piece_deleted',
          'this piece has been deleted (music is kept 24 hours), so it cannot be renamed',
        )
      : AppError.because('piece_not_ready', 'a piece can be named once it is finished');
  }
  return getGeneration(deps, input.userId, row.id);
}

/**
 * The row, the credit reservation and the job, in the caller's transaction: a crash before
 * commit leaves none of them, and too few credits (checked under the account lock) rolls the
 * row back. Resolves null when the idempotency key already names a generation.
 */
async function insertQueuedGeneration(
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

async function toView(
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

function isExpired(clock: Clock, at: Date | null): boolean {
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
