import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readGenerationStems } from '../../modules/generations/stems.service.js';
import type { HttpDeps } from '../http-deps.js';
import { requireSession } from '../session-auth.js';
import { generationDepsOf } from './generations.routes.js';

const idParams = z.object({ id: z.string().max(64) });

/** GET /api/generations/:id/stems — the piece's stems as one ZIP (owner only, like the audio). */
export function registerStemsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const genDeps = generationDepsOf(deps);
  app.get('/api/generations/:id/stems', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    const { bytes, filename } = await readGenerationStems(genDeps, session.userId, id);
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });
}
