import { z } from 'zod';

/** A generation's or an export's id in the path (ids are UUIDs; the bound keeps lookups cheap). */
export const idParams = z.object({ id: z.string().max(64) });
