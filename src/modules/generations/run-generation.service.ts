import { openText, sealText } from '../../adapters/crypto/envelope.js';
import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import type { Db } from '../../db/database.js';
import type { GenerationStage } from '../../db/schema.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { isEngineError } from '../../music/engine-error.js';
import type { Logger } from '../../lib/logger.js';
import type { ComposeRequest, ComposedTrack } from '../../music/engine.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { toPlanControls, type GenerationControls } from './generation-controls.js';
import { outputKey, stemsKey } from './output-files.js';
import { captureCredits, releaseCredits } from '../credits/credits.service.js';
import { OUTPUT_RETENTION_HOURS, type PlanSummary } from './generations.service.js';

/** What a variation needs to recompose a piece without its image. */
type Recipe = NonNullable<ComposeRequest['from']>;

export type ComposeFn = (request: ComposeRequest) => Promise<ComposedTrack>;
export type AssessSafetyFn = (
  image: Uint8Array,
) => Promise<{ safe: boolean; scores: Record<string, number> }>;

export interface RunGenerationDeps {
  db: Db;
  vault: ObjectVault;
  masterKey: MasterKey;
  clock: Clock;
  compose: ComposeFn;
  /** Content-safety classifier; an unsafe image is refused before any music is made. */
  assessSafety: AssessSafetyFn;
  /** Test-only fault injection (INSTUNE_TEST_CRASH_AT): called once the files are stored. */
  afterStore?: (() => void) | undefined;
}

/**
 * Runs one generation. Safe to run again for the same id (at-least-once delivery): a finished
 * generation is left alone, and the output goes to a fixed object key so a rerun after a crash
 * overwrites rather than duplicates.
 */
export async function runGeneration(
  deps: RunGenerationDeps,
  generationId: string,
  attempt: { isLast: boolean; log: Logger },
): Promise<void> {
  const row = await deps.db
    .selectFrom('generations')
    .selectAll()
    .where('id', '=', generationId)
    .executeTakeFirst();
  if (!row || row.status === 'done' || row.status === 'failed') {
    attempt.log.info({ generationId, status: row?.status ?? 'missing' }, 'nothing to do');
    return;
  }
  const log = attempt.log.child({ generationId });
  await deps.db
    .updateTable('generations')
    .set((eb) => ({
      status: 'running',
      stage: 'analysing',
      started_at: row.started_at ?? deps.clock.now(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', generationId)
    .execute();

  const userKey = await requireUserKey(deps.db, deps.masterKey, row.user_id);
  // A variation recomposes its original's recipe; anything else starts from the uploaded image.
  const recipe =
    row.parent_id && row.recipe_enc
      ? (JSON.parse(openText(userKey, row.recipe_enc, `generation:${row.id}:recipe`)) as Recipe)
      : undefined;
  const image = recipe
    ? new Uint8Array(0)
    : row.input_object
      ? await deps.vault.get(userKey, row.input_object)
      : null;
  if (!image) {
    await markFailed(deps, generationId, 'input_missing');
    return;
  }
  const text = row.text_enc
    ? openText(userKey, row.text_enc, `generation:${row.id}:text`)
    : undefined;

  // A variation's image was checked when its original was made.
  const safety = recipe ? { safe: true, scores: {} } : await deps.assessSafety(image);
  if (!safety.safe) {
    // Scores are class probabilities, nothing personal; they help review a disputed refusal.
    log.info({ scores: safety.scores }, 'image refused by the content policy');
    await markFailed(deps, generationId, 'content_rejected');
    return;
  }

  const controls = row.controls as GenerationControls | null;
  let track: ComposedTrack;
  try {
    track = await deps.compose({
      image,
      text,
      seconds: row.seconds,
      seed: row.seed,
      controls: toPlanControls(controls),
      from: recipe,
      loop: controls?.loop,
      stems: true,
      // ProduceID of the AIGC label: the generation id, so a file traces back to its record.
      produceId: row.id,
      onProgress: (stage) => setStage(deps.db, generationId, stage),
    });
  } catch (error) {
    // A refused image will be refused again; anything else gets the queue's retries.
    const permanent = isEngineError(error) && error.code === 'unreadable_image';
    log.warn({ err: error, permanent }, 'composition failed');
    if (permanent || attempt.isLast) {
      await markFailed(deps, generationId, permanent ? 'unprocessable_image' : 'engine_failed');
      if (permanent) return;
    }
    throw error;
  }

  await setStage(deps.db, generationId, 'storing');
  // A fixed prefix per generation: a rerun after a crash overwrites instead of duplicating.
  const outputObject = `outputs/${row.user_id}/${row.id}`;
  await deps.vault.put(userKey, outputKey(outputObject, 'mp3'), track.mp3);
  await deps.vault.put(userKey, outputKey(outputObject, 'wav'), track.wav);
  await deps.vault.put(userKey, outputKey(outputObject, 'midi'), track.midi);
  if (track.stems) await deps.vault.put(userKey, stemsKey(outputObject), track.stems);
  deps.afterStore?.();
  const plan: PlanSummary = summarisePlan(track);
  const finishedAt = deps.clock.now();
  // The status change and the capture commit together: a piece is paid for exactly when done.
  const updated = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('generations')
      .set({
        status: 'done',
        stage: 'done',
        output_object: outputObject,
        output_bytes: track.mp3.length,
        plan_enc: sealText(userKey, JSON.stringify(plan), `generation:${row.id}:plan`),
        recipe_enc: sealText(
          userKey,
          JSON.stringify({ plan: track.plan, features: track.features } satisfies Recipe),
          `generation:${row.id}:recipe`,
        ),
        finished_at: finishedAt,
        output_expires_at: new Date(finishedAt.getTime() + OUTPUT_RETENTION_HOURS * HOUR_MS),
        // Inputs are used only to generate: once the music exists they go.
        input_object: null,
        text_enc: null,
      })
      .where('id', '=', generationId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) await captureCredits(trx, finishedAt, generationId);
    return result;
  });
  if (row.input_object) await deps.vault.delete(row.input_object);
  log.info(
    { updated: Number(updated.numUpdatedRows), bytes: track.mp3.length },
    'generation stored',
  );
}

/** Called after the last failed attempt (dead letter) or for a permanent refusal. Idempotent. */
export async function markFailed(
  deps: Pick<RunGenerationDeps, 'db' | 'vault' | 'clock'>,
  generationId: string,
  errorCode: string,
): Promise<void> {
  const row = await deps.db
    .selectFrom('generations')
    .select('input_object')
    .where('id', '=', generationId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (!row) return;
  const finishedAt = deps.clock.now();
  // Failed or refused: the reserved credits go back, in the same commit as the status.
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('generations')
      .set({
        status: 'failed',
        stage: 'failed',
        error_code: errorCode,
        finished_at: finishedAt,
        input_object: null,
        text_enc: null,
      })
      .where('id', '=', generationId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) await releaseCredits(trx, finishedAt, generationId);
  });
  if (row.input_object) await deps.vault.delete(row.input_object);
}

async function setStage(db: Db, generationId: string, stage: GenerationStage): Promise<void> {
  await db
    .updateTable('generations')
    .set({ stage })
    .where('id', '=', generationId)
    .where('status', '=', 'running')
    .execute();
}

/** What the result page shows: the plan's reasons and the palette they came from. */
function summarisePlan(track: ComposedTrack): PlanSummary {
  return {
    key: track.plan.key.name,
    mode: track.plan.key.mode,
    tempo: Math.round(track.plan.tempoBpm),
    style: track.plan.style,
    explanation: track.plan.explanation,
    valence: track.plan.valence,
    arousal: track.plan.arousal,
    palette: track.features.palette.map((c) => ({ hex: c.hex, weight: c.weight })),
  };
}
