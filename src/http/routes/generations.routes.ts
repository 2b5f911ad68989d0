import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import {
  renameGeneration,
  submitExtension,
  submitVariation,
  submitVersions,
} from '../../modules/generations/derived-generations.service.js';
import {
  getGeneration,
  listGenerations,
  openGenerationAudio,
  submitGeneration,
  type GenerationView,
} from '../../modules/generations/generations.service.js';
import { requireCurrentPolicyAccepted } from '../../modules/policies/policy-acceptance.service.js';
import { generationControlsSchema } from '../../modules/generations/generation-controls.js';
import { MAX_SEED } from '../../music/limits.js';
import { sendFile } from '../file-download.js';
import { GenerationWatchers, StreamLimiter } from '../generation-events.js';
import type { HttpDeps } from '../http-deps.js';
import { wantsHtml } from '../negotiation.js';
import { idParams } from '../schemas/common.schemas.js';
import {
  audioQuery,
  extensionBody,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  renameBody,
  variationBody,
  versionsBody,
} from '../schemas/generation.schemas.js';
import type { GenerationVersionsResponse } from '../schemas/response.schemas.js';
import { generationDepsOf } from '../service-deps.js';
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
  key: optionalField(z.string()),
  mode: optionalField(z.string()),
  _csrf: z.string().optional(),
});

function optionalField<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );
}

/** An event stream ends after this long; EventSource reconnects by itself. */
const EVENT_STREAM_LIFETIME_MS = 10 * 60 * 1000;
/** A comment line this often keeps proxies from timing out an idle stream. */
const EVENT_HEARTBEAT_MS = 15_000;

export function registerGenerationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps = generationDepsOf(deps);
  const watchers = new GenerationWatchers(deps.notifications, deps.log);
  const streams = new StreamLimiter(deps.config.http.eventStreams);
  /** Ends every open stream: on shutdown they end first (EventSource reconnects elsewhere). */
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });
  app.addHook('onClose', async () => watchers.close());

  app.post('/api/generations', async (request, reply) => {
    requireSession(request);
    // Refused before the upload is read: a key we cannot honour must not lead to a charge.
    const idempotencyKey = idempotencyKeyOf(request);
    const { image, fields } = await readUpload(request);
    const parsed = submitFields.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? 'form';
      const developer = `${field}: ${issue?.message ?? 'invalid form'}`;
      throw field === 'seed'
        ? AppError.because('seed_invalid', developer, { max: MAX_SEED })
        : AppError.because('control_invalid', developer, { field });
    }
    const session = requireCsrf(request, parsed.data._csrf);
    await requireCurrentPolicyAccepted(deps, session.userId);
    if (!image)
      throw AppError.because('upload_missing', 'choose an image to upload (form field "image")');
    const { style, mood, tempo, instrument, loop, key, mode } = parsed.data;
    const controls = generationControlsSchema.safeParse({
      style,
      mood,
      tempoBpm: tempo,
      instrument,
      loop,
      key,
      mode,
    });
    if (!controls.success) {
      const issue = controls.error.issues[0];
      throw AppError.because(
        'control_invalid',
        `${issue?.path.join('.') ?? 'controls'}: ${issue?.message ?? 'invalid'}`,
        { field: issue?.path.join('.') ?? 'controls' },
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

  /**
   * What every piece made from another starts with, in this order: the caller and its CSRF
   * token, the key (refused before anything is charged), the current policy, the parent's id.
   */
  const derivationOf = async (request: FastifyRequest) => {
    const session = requireCsrf(request);
    const idempotencyKey = idempotencyKeyOf(request);
    await requireCurrentPolicyAccepted(deps, session.userId);
    const { id } = idParams.parse(request.params);
    return { userId: session.userId, parentId: id, idempotencyKey };
  };

  app.post('/api/generations/:id/variations', async (request, reply) => {
    const derivation = await derivationOf(request);
    const { seed } = variationBody.parse(request.body ?? {});
    const view = await submitVariation(genDeps, { ...derivation, seed });
    request.log.info(
      { generationId: view.id, parentId: derivation.parentId },
      'variation submitted',
    );
    return reply.status(202).send(view);
  });

  app.post('/api/generations/:id/versions', async (request, reply) => {
    const derivation = await derivationOf(request);
    versionsBody.parse(request.body ?? {});
    const versions = await submitVersions(genDeps, derivation);
    request.log.info(
      { generationIds: versions.map((v) => v.id), parentId: derivation.parentId },
      'versions submitted',
    );
    return reply.status(202).send({ versions } satisfies GenerationVersionsResponse);
  });

  app.post('/api/generations/:id/extensions', async (request, reply) => {
    const derivation = await derivationOf(request);
    const { seconds } = extensionBody.parse(request.body ?? {});
    const view = await submitExtension(genDeps, { ...derivation, seconds });
    request.log.info(
      { generationId: view.id, parentId: derivation.parentId },
      'extension submitted',
    );
    return reply.status(202).send(view);
  });

  app.patch('/api/generations/:id', async (request) => {
    const session = requireCsrf(request);
    const { id } = idParams.parse(request.params);
    const { title } = renameBody.parse(request.body ?? {});
    return renameGeneration(genDeps, { userId: session.userId, id, title });
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

  // Progress pushed as Server-Sent Events: one event per change of stage, sent when the change
  // commits (the database notifies; nothing polls), until the piece is finished or 10 minutes
  // pass (the browser's EventSource then reconnects by itself). Sent through Fastify's reply,
  // not a hijacked socket, so the stream carries the same security headers as any response.
  app.get('/api/generations/:id/events', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    // Counted before any database work, so refusing a flood of streams costs nothing.
    const release = streams.open(session.userId);
    let view: GenerationView;
    try {
      view = await getGeneration(genDeps, session.userId, id);
    } catch (error) {
      release();
      throw error;
    }
    const stream = new PassThrough();
    const send = (v: GenerationView) =>
      stream.write(`event: generation\ndata: ${JSON.stringify(v)}\n\n`);
    send(view);
    if (isFinished(view)) {
      release();
      stream.end();
    } else {
      void followGeneration(request, reply.raw, stream, view, send, release, session.userId, id);
    }
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-store')
      .header('x-accel-buffering', 'no')
      .send(stream);
  });

  /** Sends each new stage as it commits; ends with the piece, the deadline or the client. */
  async function followGeneration(
    request: FastifyRequest,
    response: NodeJS.WritableStream,
    stream: PassThrough,
    first: GenerationView,
    send: (v: GenerationView) => void,
    release: () => void,
    userId: string,
    id: string,
  ): Promise<void> {
    let view = first;
    let ended = false;
    let reading = false;
    let again = false;
    let unwatch: () => void = () => {};
    const timers: NodeJS.Timeout[] = [];
    const end = () => {
      if (ended) return;
      ended = true;
      openStreams.delete(end);
      unwatch();
      for (const timer of timers) clearTimeout(timer);
      release();
      stream.end();
    };
    // One read at a time; notifications that arrive meanwhile cause one more read after it.
    const look = async () => {
      if (ended) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const next = await getGeneration(genDeps, userId, id).catch(() => null);
          if (ended) return;
          if (!next) return end(); // deleted, or the database is away: the client reconnects
          if (next.stage !== view.stage || next.status !== view.status) send(next);
          view = next;
          if (isFinished(view)) return end();
        } while (again);
      } finally {
        reading = false;
      }
    };
    openStreams.add(end);
    // The response's close: the client went away (or the stream ended, which end() ignores).
    response.on('close', end);
    stream.on('error', end);
    timers.push(setTimeout(end, EVENT_STREAM_LIFETIME_MS));
    // A comment line now and then keeps proxies from closing an idle stream; the look that
    // comes with it is a safety net should a notification ever be missed.
    const beat = () => {
      timers.push(
        setTimeout(() => {
          if (ended) return;
          stream.write(': still working\n\n');
          void look();
          beat();
        }, EVENT_HEARTBEAT_MS),
      );
    };
    beat();
    try {
      unwatch = await watchers.watch(id, () => void look());
    } catch (error) {
      request.log.warn({ err: error }, 'cannot follow generation changes');
      return end();
    }
    if (ended) unwatch();
    // A change may have committed between the first read and the subscription.
    else await look();
  }

  app.get('/api/generations/:id/audio', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    const { format } = audioQuery.parse(request.query);
    const { file, filename, contentType } = await openGenerationAudio(
      genDeps,
      session.userId,
      id,
      format,
    );
    return sendFile(request, reply, file, { contentType, filename });
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
    throw AppError.because(
      'idempotency_key_invalid',
      `the Idempotency-Key header must be one value of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      { maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    );
  }
  return key;
}

/** Reads one image part and a few text fields; the multipart limits bound memory. */
async function readUpload(
  request: FastifyRequest,
): Promise<{ image: Buffer | null; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw AppError.because('upload_not_multipart', 'send the image as multipart/form-data');
  }
  let image: Buffer | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'image' || image) {
          await part.toBuffer();
          throw AppError.because('upload_one_image', 'send exactly one image in the field "image"');
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
    throw AppError.because(
      'upload_malformed',
      'the upload was malformed or cut off; please try again',
    );
  }
  return { image, fields };
}

function isFinished(view: GenerationView): boolean {
  return view.status !== 'queued' && view.status !== 'running';
}
