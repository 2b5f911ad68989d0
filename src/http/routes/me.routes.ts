import type { FastifyInstance } from 'fastify';
import { getAccount } from '../../modules/accounts/accounts.service.js';
import { AppError } from '../../lib/errors.js';
import { accountJson } from '../account-json.js';
import type { HttpDeps } from '../http-deps.js';
import { requireSession } from '../session-auth.js';
import type { MeResponse } from '../schemas/response.schemas.js';

export function registerMeRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/api/me', async (request) => {
    const session = requireSession(request);
    const account = await getAccount(
      { db: deps.db, masterKey: deps.masterKey, clock: deps.clock },
      session.userId,
    );
    if (!account) throw AppError.because('account_gone', 'this account no longer exists');
    return { ...accountJson(account), csrfToken: session.csrfToken } satisfies MeResponse;
  });
}
