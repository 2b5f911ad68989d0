import type { FastifyInstance } from 'fastify';
import { getAccount, updateAccountName } from '../../modules/accounts/accounts.service.js';
import { cancelAccount, deleteGeneration } from '../../modules/privacy/account-deletion.service.js';
import { BusinessCalendar } from '../../modules/privacy/business-days.js';
import {
  getDataExport,
  openDataExport,
  requestDataExport,
} from '../../modules/privacy/data-export.service.js';
import { dataInventory } from '../../modules/privacy/data-inventory.js';
import {
  fileRightsRequest,
  listRightsRequests,
} from '../../modules/privacy/rights-requests.service.js';
import { AppError } from '../../lib/errors.js';
import { accountJson } from '../account-json.js';
import { sendFile } from '../file-download.js';
import type { HttpDeps } from '../http-deps.js';
import { parseInput } from '../request-input.js';
import {
  accountCancelBody,
  accountNameBody,
  rightsRequestBody,
} from '../schemas/account.schemas.js';
import { idParams } from '../schemas/common.schemas.js';
import type { SessionCache } from '../session-cache.js';
import { clearCookieOptions, cookieNames, requireCsrf, requireSession } from '../session-auth.js';

/** The account center's API: see, correct, delete, cancel. */
export function registerAccountRoutes(
  app: FastifyInstance,
  deps: HttpDeps,
  sessions: SessionCache,
): void {
  const accountDeps = { db: deps.db, masterKey: deps.masterKey, clock: deps.clock };
  const deletionDeps = { db: deps.db, vault: deps.vault, clock: deps.clock, queue: deps.queue };
  const requestDeps = { ...accountDeps, calendar: new BusinessCalendar() };
  const exportDeps = { ...requestDeps, vault: deps.vault, queue: deps.queue };

  app.get('/api/account', async (request) => {
    const session = requireSession(request);
    const account = await getAccount(accountDeps, session.userId);
    if (!account) throw AppError.because('account_gone', 'this account no longer exists');
    return {
      account: accountJson(account),
      stored: dataInventory,
    };
  });

  app.patch('/api/account', async (request, reply) => {
    const session = requireCsrf(request);
    const { name } = parseInput(accountNameBody, request.body, 'send {"name": "…"}');
    await updateAccountName(accountDeps, session.userId, name);
    await fileRightsRequest(requestDeps, session.userId, { kind: 'correction', status: 'done' });
    return reply.status(204).send();
  });

  app.delete('/api/generations/:id', async (request, reply) => {
    const session = requireCsrf(request);
    const { id } = idParams.parse(request.params);
    await deleteGeneration(deletionDeps, session.userId, id);
    await fileRightsRequest(requestDeps, session.userId, { kind: 'deletion', status: 'done' });
    return reply.status(204).send();
  });

  app.post('/api/account/cancel', async (request, reply) => {
    const session = requireCsrf(request);
    if (!accountCancelBody.safeParse(request.body).success) {
      throw AppError.because('cancel_phrase', 'to cancel, send {"confirm": "cancel my account"}');
    }
    await fileRightsRequest(requestDeps, session.userId, { kind: 'cancellation', status: 'done' });
    await cancelAccount(deletionDeps, session.userId);
    sessions.forgetUser(session.userId);
    request.log.info({ userId: session.userId }, 'account cancelled');
    const secure = deps.config.http.secureCookies;
    void reply.clearCookie(cookieNames(secure).session, clearCookieOptions(secure));
    return reply.status(202).send({ cancelled: true });
  });

  app.get('/api/account/requests', async (request) => {
    const session = requireSession(request);
    return { requests: await listRightsRequests(requestDeps, session.userId) };
  });

  app.post('/api/account/requests', async (request, reply) => {
    const session = requireCsrf(request);
    const body = parseInput(
      rightsRequestBody,
      request.body,
      'send {"kind": "complaint" | "access" | …, "message": "…"}',
    );
    const ticket = await fileRightsRequest(requestDeps, session.userId, {
      ...body,
      language: body.language ?? request.pageLanguage,
    });
    return reply.status(201).send(ticket);
  });

  app.post('/api/account/exports', async (request, reply) => {
    const session = requireCsrf(request);
    return reply.status(202).send(await requestDataExport(exportDeps, session.userId));
  });

  app.get('/api/account/exports/:id', async (request) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    return getDataExport(exportDeps, session.userId, id);
  });

  app.get('/api/account/exports/:id/download', async (request, reply) => {
    const session = requireSession(request);
    const { id } = idParams.parse(request.params);
    const zip = await openDataExport(exportDeps, session.userId, id);
    return sendFile(request, reply, zip, {
      contentType: 'application/zip',
      filename: 'instune-export.zip',
    });
  });
}
