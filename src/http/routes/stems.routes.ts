import type { FastifyInstance } from 'fastify';
import { openGenerationStems } from '../../modules/generations/stems.service.js';
import { sendFile } from '../file-download.js';
import type { HttpDeps } from '../http-deps.js';
import { idParams } from '../schemas/common.schemas.js';
import { generationDepsOf } from '../service-deps.js';
import { requireSession } from '../session-auth.js';

/**
 * GET /api/generations/:id/stems — the piece's stems as one ZIP (owner only, like the audio),
 * streamed and decrypted chunk by chunk, with byte ranges for resumed downloads.
 */
export function registerStemsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps = generationDepsOf(deps);
  app.get('/api/generations/:id/stems', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    const { file, filename } = await openGenerationStems(genDeps, session.userId, id);
    return sendFile(request, reply, file, { contentType: 'application/zip', filename });
  });
}
