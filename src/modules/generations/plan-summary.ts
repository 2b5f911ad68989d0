import { z } from 'zod';
import { AppError } from '../../lib/errors.js';

const bilingual = z.object({ en: z.string(), zh: z.string() });

/** What the result page shows of a plan: its reasons and the palette they came from. */
export const planSummarySchema = z.object({
  key: z.string(),
  mode: z.string(),
  tempo: z.number(),
  style: z.string(),
  /** The details in English, as one line (pieces made before the story have only this). */
  explanation: z.string(),
  /** What we saw and chose, for a person, in both languages; the numbers as details (plan v5). */
  story: z
    .object({
      summary: bilingual,
      details: z.array(bilingual),
    })
    .optional(),
  valence: z.number(),
  arousal: z.number(),
  palette: z.array(z.object({ hex: z.string(), weight: z.number() })),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

/** A stored summary from its JSON text; a row that is not one is a typed error, not a crash. */
export function parsePlanSummary(json: string, generationId: string): PlanSummary {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  const parsed = planSummarySchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('internal', 'the stored plan of this piece could not be read', {
      generationId,
    });
  }
  return parsed.data;
}
