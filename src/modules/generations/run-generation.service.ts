import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { ObjectVault } from '../../adapters/storage/object-vault.js';
import type { Db } from '../../db/database.js';
import type { GenerationStage } from '../../db/schema.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import type { CrashPoint } from '../../lib/crash-points.js';
import { isEngineError } from '../../music/engine-error.js';
import type { Logger } from '../../lib/logger.js';
import type { ComposeRequest, ComposedTrack } from '../../music/engine.js';
import { requireUserKey } from '../accounts/user-keys.js';
import { parseStoredControls, toPlanControls } from './generation-controls.js';
import { audioFormats, deleteOutputFiles, outputKey, stemsKey } from './output-files.js';
import { captureCredits, releaseCredits } from '../credits/credits.service.js';
import { OUTPUT_RETENTION_HOURS } from './generations.service.js';
import type { PlanSummary } from './plan-summary.js';
import { parseRecipe, type Recipe } from '../../music/plan/plan-schema.js';
import {
  claimGeneration,
  completeRun,
  failUnfinishedGeneration,
  getRunState,
  lockGenerationFiles,
  openDescription,
  openRecipeJson,
  setRunStage,
} from './generations.repository.js';

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
  /** Test-only fault injection (INSTUNE_TEST_CRASH_AT): called at each crash point. */
  reachedCrashPoint?: ((point: CrashPoint) => void) | undefined;
}

export interface RunAttempt {
  /** The queue's job: at most one job runs a generation at a time (`run_job_id`). */
  jobId: string;
  /** The last attempt the queue will make: a failure now is final. */
  isLast: boolean;
  log: Logger;
  /** Aborted when this attempt must stop; checked before every effect. */
  signal: AbortSignal;
}

/**
 * Runs one generation. Safe to deliver twice (at-least-once): a finished generation is left
 * alone; a second delivery while another live job runs it does nothing; output goes to a fixed
 * object key so a rerun after a crash overwrites rather than duplicates; and every write is
 * fenced by `run_job_id`, so an attempt that was stopped or taken over changes nothing more.
 */
export async function runGeneration(
  deps: RunGenerationDeps,
  generationId: string,
  attempt: RunAttempt,
): Promise<void> {
  const row = await claimGeneration(deps.db, generationId, attempt.jobId, deps.clock.now());
  if (!row) {
    const current = await getRunState(deps.db, generationId);
    attempt.log.info(
      {
        generationId,
        status: current?.status ?? 'missing',
        ...(current?.status === 'running' ? { runningJob: current.run_job_id } : {}),
      },
      current?.status === 'running'
        ? 'another delivery is running this generation'
        : 'nothing to do',
    );
    return;
  }
  const log = attempt.log.child({ generationId });
  const fence = { db: deps.db, generationId, jobId: attempt.jobId, signal: attempt.signal };
  deps.reachedCrashPoint?.('analysing');

  const userKey = await requireUserKey(deps.db, deps.masterKey, row.user_id);
  // A variation recomposes its original's recipe; anything else starts from the uploaded image.
  let recipe: Recipe | undefined;
  try {
    recipe =
      row.parent_id && row.recipe_enc
        ? parseRecipe(openRecipeJson(userKey, { id: row.id, recipe_enc: row.recipe_enc }))
        : undefined;
  } catch (error) {
    // A stored plan no engine version plays will not play on a retry either.
    if (!isEngineError(error) || error.code !== 'invalid_plan') throw error;
    log.warn({ err: error }, 'the stored recipe is not a playable plan');
    await markFailed(deps, generationId, 'invalid_plan', fence);
    return;
  }
  const image = recipe
    ? new Uint8Array(0)
    : row.input_object
      ? await deps.vault.get(userKey, row.input_object)
      : null;
  if (!image) {
    await markFailed(deps, generationId, 'input_missing', fence);
    return;
  }
  const text = row.text_enc
    ? openDescription(userKey, { id: row.id, text_enc: row.text_enc })
    : undefined;

  // A variation's image was checked when its original was made.
  const safety = recipe ? { safe: true, scores: {} } : await deps.assessSafety(image);
  if (!safety.safe) {
    // Scores are class probabilities, nothing personal; they help review a disputed refusal.
    log.info({ scores: safety.scores }, 'image refused by the content policy');
    await markFailed(deps, generationId, 'content_rejected', fence);
    return;
  }

  const controls = parseStoredControls(row.controls, row.id);
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
      onProgress: async (stage) => {
        // A stopped attempt writes nothing more; the engine's result is dropped once it returns.
        // (No throw here: the engine reports progress from its own thread.)
        if (attempt.signal.aborted) return;
        await setStage(fence, stage);
        if (stage === 'rendering' || stage === 'encoding') deps.reachedCrashPoint?.(stage);
      },
    });
  } catch (error) {
    // Stopped from outside (timeout, lost lease, shutdown): not the engine's fault.
    attempt.signal.throwIfAborted();
    // A refused image will be refused again; anything else gets the queue's retries.
    const permanent = isEngineError(error) && error.code === 'unreadable_image';
    log.warn({ err: error, permanent }, 'composition failed');
    if (permanent || attempt.isLast) {
      await markFailed(
        deps,
        generationId,
        permanent ? 'unprocessable_image' : 'engine_failed',
        fence,
      );
      if (permanent) return;
    }
    throw error;
  }

  await setStage(fence, 'storing');
  // A fixed prefix per generation: a rerun after a crash overwrites instead of duplicating.
  const outputObject = outputPrefix(row);
  for (const format of audioFormats) {
    attempt.signal.throwIfAborted();
    await deps.vault.put(userKey, outputKey(outputObject, format), track[format]);
  }
  if (track.stems) {
    attempt.signal.throwIfAborted();
    await deps.vault.put(userKey, stemsKey(outputObject), track.stems);
  }
  deps.reachedCrashPoint?.('after-store');
  attempt.signal.throwIfAborted();
  const plan: PlanSummary = summarisePlan(track);
  const finishedAt = deps.clock.now();
  // The status change and the capture commit together: a piece is paid for exactly when done.
  const updated = await deps.db.transaction().execute(async (trx) => {
    // Inputs are used only to generate: once the music exists they go (completeRun drops them).
    const done = await completeRun(trx, userKey, {
      id: generationId,
      jobId: attempt.jobId,
      outputObject,
      outputBytes: track.mp3.length,
      plan: JSON.stringify(plan),
      recipe: JSON.stringify({ plan: track.plan, features: track.features } satisfies Recipe),
      finishedAt,
      outputExpiresAt: new Date(finishedAt.getTime() + OUTPUT_RETENTION_HOURS * HOUR_MS),
    });
    if (done) await captureCredits(trx, finishedAt, generationId);
    return done;
  });
  if (!updated) {
    // Failed or deleted meanwhile: the files just stored belong to nothing. (Done by another
    // delivery instead: those are its files too, under the same keys, and they stay.)
    const now = await getRunState(deps.db, generationId);
    if (now?.status !== 'done' || now.output_object !== outputObject) {
      await deleteOutputFiles(deps.vault, outputObject);
    }
    log.info({ status: now?.status ?? 'missing' }, 'generation finished elsewhere; result dropped');
    return;
  }
  if (row.input_object) await deps.vault.delete(row.input_object);
  log.info({ bytes: track.mp3.length }, 'generation stored');
}

/** Where a generation's files live: `generations.output_object` once it is done. */
export function outputPrefix(row: { user_id: string; id: string }): string {
  return `outputs/${row.user_id}/${row.id}`;
}

interface Fence {
  db: Db;
  generationId: string;
  jobId: string;
  signal: AbortSignal;
}

/**
 * Ends a generation as failed, releases its credits and deletes whatever it stored (the
 * upload, and output files an earlier attempt may have written before it died). Idempotent.
 * From inside a run (`fence`) only while that run still owns the generation; from the dead
 * letter only while no live job runs it (a duplicate delivery may still finish it).
 */
export async function markFailed(
  deps: Pick<RunGenerationDeps, 'db' | 'vault' | 'clock'>,
  generationId: string,
  errorCode: string,
  fence?: Fence,
): Promise<void> {
  fence?.signal.throwIfAborted();
  const finishedAt = deps.clock.now();
  // Failed or refused: the reserved credits go back, in the same commit as the status.
  const failed = await deps.db.transaction().execute(async (trx) => {
    // Read under the row lock: which files this generation has is what its columns say now.
    const before = await lockGenerationFiles(trx, generationId);
    if (!before) return null;
    const failed = await failUnfinishedGeneration(trx, {
      id: generationId,
      errorCode,
      finishedAt,
      jobId: fence?.jobId,
    });
    if (!failed) return null;
    await releaseCredits(trx, finishedAt, generationId);
    return before;
  });
  if (!failed) return;
  // After the commit: a crash here leaves files no row points at, which the orphan sweep finds.
  if (failed.input_object) await deps.vault.delete(failed.input_object);
  await deleteOutputFiles(deps.vault, outputPrefix(failed));
}

async function setStage(fence: Fence, stage: GenerationStage): Promise<void> {
  fence.signal.throwIfAborted();
  await setRunStage(fence.db, fence.generationId, fence.jobId, stage);
}

/** What the result page shows: the plan's reasons and the palette they came from. */
export function summarisePlan(track: Pick<ComposedTrack, 'plan' | 'features'>): PlanSummary {
  return {
    key: track.plan.key.name,
    mode: track.plan.key.mode,
    tempo: Math.round(track.plan.tempoBpm),
    style: track.plan.style,
    explanation: track.plan.explanation,
    story: track.plan.story,
    valence: track.plan.valence,
    arousal: track.plan.arousal,
    palette: track.features.palette.map((c) => ({ hex: c.hex, weight: c.weight })),
  };
}
