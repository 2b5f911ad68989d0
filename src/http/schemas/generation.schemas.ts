import { z } from 'zod';
import { audioFormats } from '../../modules/generations/output-files.js';

// Parsed by the generation routes and described from the same schemas in the OpenAPI document.

export const variationBody = z.object({ seed: z.number().int().min(0).optional() }).strict();

export const audioQuery = z.object({ format: z.enum(audioFormats).default('mp3') });
