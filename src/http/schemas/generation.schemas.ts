import { z } from 'zod';
import { audioFormats } from '../../modules/generations/output-files.js';

// Parsed by the generation routes and described from the same schemas in the OpenAPI document.

export const variationBody = z.object({ seed: z.number().int().min(0).optional() }).strict();

/** Renaming a piece; an empty title goes back to the name from its plan. */
export const renameBody = z.object({ title: z.string().max(400) }).strict();

/** "Give me two versions" takes nothing but the piece in the path. */
export const versionsBody = z.object({}).strict();

/** "Extend by N seconds": how many seconds to add (the service checks the length limit). */
export const extensionBody = z.object({ seconds: z.number().int().min(1) }).strict();

/** The comparison page: two pieces' ids, comma-separated (`?ids=<a>,<b>`). */
export const compareQuery = z.object({
  ids: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.uuid()).length(2)),
});

export const audioQuery = z.object({ format: z.enum(audioFormats).default('mp3') });

/** The longest Idempotency-Key header kept: what the idempotency column holds (a UUID is 36). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
