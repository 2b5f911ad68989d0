import { randomInt } from 'node:crypto';
import type { GenerationDerivation } from '../../db/schema.js';
import { HOUR_MS } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { isWholeNumberIn, MAX_SECONDS, MAX_SEED } from '../../music/limits.js';
import { extendPlan, planSeconds } from '../../music/plan/extend.js';
import { parseRecipe } from '../../music/plan/plan-schema.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { getCreditBalance } from '../credits/credits.service.js';
import {
  findGenerationByIdempotencyKey,
  openRecipeJson,
  setGenerationTitle,
  viewRowOf,
  type GenerationRow,
} from './generations.repository.js';
import {
  getGeneration,
  INPUT_RETENTION_HOURS,
  insertQueuedGeneration,
  isExpired,
  requireGeneration,
  resolveSeed,
  sameRequestOrRefuse,
  toView,
  type GenerationDeps,
  type GenerationView,
} from './generations.service.js';

/*
 * Pieces made from a finished piece instead of from a picture: a variation (a new seed), two
 * versions side by side, an extension (the same plan and seed, longer), and the owner's title.
 * None needs the picture (deleted after generation), only the parent's recipe, which lives as
 * long as its music.
 */

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
 * One piece made from another, at most once per Idempotency-Key: the answer given to the same
 * key before, else a new row from what `make` derives with the owner's key. A concurrent request
 * with the same key may insert first; its row is then the answer.
 */
async function deriveOnce(
  deps: GenerationDeps,
  userId: string,
  parent: GenerationRow,
  idempotencyKey: string | undefined,
  derivation: 'variation' | 'extension',
  make: (userKey: Uint8Array) => Pick<Derived, 'seed' | 'seconds' | 'recipe'>,
): Promise<GenerationView> {
  const existing = await sameDerived(deps, userId, idempotencyKey, parent.id, derivation);
  if (existing) return toView(deps, viewRowOf(existing));
  const userKey = await requireUserKey(deps.db, deps.masterKey, userId);
  const piece = { ...make(userKey), derivation, idempotencyKey: idempotencyKey ?? null };
  const [created] = await insertDerived(deps, userId, parent, [piece], userKey);
  const row = created ?? (await sameDerived(deps, userId, idempotencyKey, parent.id, derivation));
  if (!row) {
    throw AppError.because('try_again', `the ${derivation} could not be created; try again`);
  }
  return toView(deps, viewRowOf(row));
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
  return deriveOnce(deps, input.userId, parent, input.idempotencyKey, 'variation', (userKey) => ({
    seed,
    seconds: parent.seconds,
    recipe: openRecipeJson(userKey, parent),
  }));
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
  if (!isWholeNumberIn(input.seconds, MIN_EXTEND_SECONDS, room)) {
    throw AppError.because(
      'extend_out_of_range',
      `extend by a whole number of seconds from ${MIN_EXTEND_SECONDS} to ${room} (pieces can be at most ${MAX_SECONDS} seconds)`,
      { min: MIN_EXTEND_SECONDS, max: room, longest: MAX_SECONDS },
    );
  }
  return deriveOnce(deps, input.userId, parent, input.idempotencyKey, 'extension', (userKey) => {
    try {
      const original = parseRecipe(openRecipeJson(userKey, parent));
      const plan = extendPlan(original.plan, input.seconds);
      return {
        seed: parent.seed,
        // The nearest length the tempo allows, held within the limits the column and engine keep.
        seconds: Math.min(MAX_SECONDS, Math.max(parent.seconds + 1, Math.round(planSeconds(plan)))),
        recipe: JSON.stringify({ plan, features: original.features }),
      };
    } catch (error) {
      // A loop has no ending to go on from; a plan from before v5 cannot keep its notes.
      const reason = error instanceof Error ? error.message : String(error);
      throw AppError.because('piece_not_extendable', `this piece cannot be extended: ${reason}`);
    }
  });
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
