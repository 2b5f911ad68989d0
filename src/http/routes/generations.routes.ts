import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import {
  getGeneration,
  listGenerations,
  readGenerationAudio,
  submitGeneration,
  submitVariation,
  type GenerationDeps,
  type GenerationView,
} from '../../modules/generations/generations.service.js';
import { requireCurrentPolicyAccepted } from '../../modules/policies/policy-acceptance.service.js';
import { generationControlsSchema } from '../../modules/generations/generation-controls.js';
import { audioFormats } from '../../modules/generations/output-files.js';
import type { HttpDeps } from '../http-deps.js';
import { requireCsrf, requireSession } from '../session-auth.js';

const submitFields = z.object({
  text: z.string().optional(),
  seconds: z.coerce.number().int().default(30),
  seed: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : Number(v)))
    .refine((v) => v === undefined || Number.isInteger(v), 'seed must be a whole number'),
  // Create-page controls; an empty field means "let the picture decide".
  style: optionalField(z.string()),
  mood: optionalField(z.string()),
  tempo: optionalField(z.coerce.number()),
  instrument: optionalField(z.string()),
  loop: optionalField(z.enum(['true', 'false', 'on']).transform((v) => v !== 'false')),
  _csrf: z.string().optional(),
});

function optionalField<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );
}

const idParams = z.object({ id: z.string().max(64) });
/** What the idempotency column holds (a UUID is 36). */
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** How often the event stream looks at the generation row (server side; the client just listens). */
const EVENT_POLL_MS = 300;
const variationBody = z.object({ seed: z.number().int().min(0).optional() }).strict();
const audioQuery = z.object({ format: z.enum(audioFormats).default('mp3') });

/** What the generation services need, from the web role's dependencies (pages too). */
export function generationDepsOf(deps: HttpDeps): GenerationDeps {
  return {
    db: deps.db,
    vault: deps.vault,
    masterKey: deps.masterKey,
    clock: deps.clock,
    queue: deps.queue,
    limits: deps.config.uploads,
    generationCost: deps.config.credits.generationCost,
  };
}

export function registerGenerationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps = generationDepsOf(deps);

  app.post('/api/generations', async (request, reply) => {
    requireSession(request);
    // Refused before the upload is read: a key we cannot honour must not lead to a charge.
    const idempotencyKey = idempotencyKeyOf(request);
    const { image, fields } = await readUpload(request);
    const parsed = submitFields.safeParse(fields);
    if (!parsed.success) {
      throw new AppError('validation_failed', parsed.error.issues[0]?.message ?? 'invalid form');
    }
    const session = requireCsrf(request, parsed.data._csrf);
    await requireCurrentPolicyAccepted(deps, session.userId);
    if (!image) throw new AppError('bad_request', 'choose an image to upload (form field "image")');
    const { style, mood, tempo, instrument, loop } = parsed.data;
    const controls = generationControlsSchema.safeParse({
      style,
      mood,
      tempoBpm: tempo,
      instrument,
      loop,
    });
    if (!controls.success) {
      const issue = controls.error.issues[0];
      throw new AppError(
        'validation_failed',
        `${issue?.path.join('.') ?? 'controls'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const view = await submitGeneration(genDeps, {
      userId: session.userId,
      image,
      text: parsed.data.text,
      seconds: parsed.data.seconds,
      seed: parsed.data.seed,
      controls: Object.values(controls.data).some((v) => v !== undefined)
        ? controls.data
        : undefined,
      idempotencyKey,
    });
    request.log.info({ generationId: view.id }, 'generation submitted');
    if (wantsHtml(request)) return reply.redirect(`/generations/${view.id}`, 303);
    return reply.status(202).send(view);
  });

  app.post('/api/generations/:id/variations', async (request, reply) => {
    const session = requireCsrf(request);
    const idempotencyKey = idempotencyKeyOf(request);
    await requireCurrentPolicyAccepted(deps, session.userId);
    const { id } = idParams.parse(request.params);
    const { seed } = variationBody.parse(request.body ?? {});
    const view = await submitVariation(genDeps, {
      userId: session.userId,
      parentId: id,
      seed,
      idempotencyKey,
    });
    request.log.info({ generationId: view.id, parentId: id }, 'variation submitted');
    return reply.status(202).send(view);
  });

  app.get('/api/generations', async (request) => {
    const session = requireSession(request);
    return { generations: await listGenerations(genDeps, session.userId) };
  });

  app.get('/api/generations/:id', async (request) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    return getGeneration(genDeps, session.userId, id);
  });

  // Progress pushed as Server-Sent Events: one event per change of stage, until the piece is
  // finished (or 10 minutes pass; the browser's EventSource then reconnects by itself).
  app.get('/api/generations/:id/events', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    let view = await getGeneration(genDeps, session.userId, id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    let closed = false;
    request.raw.on('close', () => {
      closed = true;
    });
    const send = (v: GenerationView) =>
      res.write(`event: generation\ndata: ${JSON.stringify(v)}\n\n`);
    send(view);
    const deadline = Date.now() + 10 * 60 * 1000;
    let lastBeat = Date.now();
    while (
      !closed &&
      (view.status === 'queued' || view.status === 'running') &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, EVENT_POLL_MS));
      const next = await getGeneration(genDeps, session.userId, id).catch(() => null);
      if (!next) break;
      if (next.stage !== view.stage || next.status !== view.status) send(next);
      else if (Date.now() - lastBeat > 15_000) {
        res.write(': still working\n\n');
        lastBeat = Date.now();
      }
      view = next;
    }
    res.end();
  });

  app.get('/api/generations/:id/audio', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    const { format } = audioQuery.parse(request.query);
    const { bytes, filename, contentType } = await readGenerationAudio(
      genDeps,
      session.userId,
      id,
      format,
    );
    return reply
      .header('content-type', contentType)
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });
}

/**
 * The client's Idempotency-Key, if it sent one. A key that cannot be stored is refused rather
 * than dropped: dropping it would turn the client's safe retry into a second charge.
 */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new AppError(
      'validation_failed',
      `the Idempotency-Key header must be one value of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    );
  }
  return key;
}

/** Reads one image part and a few text fields; the multipart limits bound memory. */
async function readUpload(
  request: FastifyRequest,
): Promise<{ image: Buffer | null; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media_type', 'send the image as multipart/form-data');
  }
  let image: Buffer | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'image' || image) {
          await part.toBuffer();
          throw new AppError('bad_request', 'send exactly one image in the field "image"');
        }
        image = await part.toBuffer();
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    // The multipart parser reports broken framing as a bare Error; limits carry an FST_ code.
    const coded =
      error instanceof AppError || typeof (error as { code?: unknown }).code === 'string';
    if (coded) throw error;
    throw new AppError('bad_request', 'the upload was malformed or cut off; please try again');
  }
  return { image, fields };
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}
