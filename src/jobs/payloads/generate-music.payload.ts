import { z } from 'zod';

// The payload carries only an id: personal content never sits in the queue tables.
export const generateMusicJobName = 'generate-music';
export const generateMusicPayload = z.object({ generationId: z.uuid() }).strict();
export type GenerateMusicPayload = z.infer<typeof generateMusicPayload>;
