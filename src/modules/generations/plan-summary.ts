import { z } from 'zod';
import { AppError } from '../../lib/errors.js';

/** What the result page shows of a plan: its reasons and the palette they came from. */
export const planSummarySchema = z.object({
  key: z.string(),
  mode: z.string(),
  tempo: z.number(),
  style: z.string(),
  explanation: z.string(),
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
