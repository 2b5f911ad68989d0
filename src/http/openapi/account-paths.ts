import {
  accountCancelBody,
  accountConsentBody,
  accountNameBody,
  rightsRequestBody,
} from '../schemas/account.schemas.js';
import {
  accountConsentResponse,
  accountOverviewResponse,
  cancelledResponse,
  policyListResponse,
  rightsRequestListResponse,
} from '../schemas/response.schemas.js';
import { answer, answerOf, csrf, errors, failure, idParam, requiredBody } from './common.js';

/** The account center, cookie consent and the privacy policy. */
export const accountPaths = {
  '/api/account': {
    get: {
      tags: ['account'],
      summary: 'My account and what is stored about me, why and for how long',
      responses: {
        '200': answer('OK', accountOverviewResponse),
        '401': errors['401'],
      },
    },
    patch: {
      tags: ['account'],
      summary: 'Correct my name',
      security: csrf,
      requestBody: requiredBody(accountNameBody),
      responses: { '204': { description: 'Saved' }, ...errors },
    },
  },
  '/api/account/requests': {
    get: {
      tags: ['account'],
      summary: 'My rights requests and complaints, with due dates (15 business days)',
      responses: {
        '200': answer('OK', rightsRequestListResponse),
      },
    },
    post: {
      tags: ['account'],
      summary: 'File a rights request or complaint',
      security: csrf,
      requestBody: requiredBody(rightsRequestBody),
      responses: { '201': answerOf('Filed', 'RightsRequest'), ...errors },
    },
  },
  '/api/account/exports': {
    post: {
      tags: ['account'],
      summary: 'Request a ZIP export of my data (JSON + files); poll it until ready',
      security: csrf,
      responses: {
        '202': answerOf('Started (or the pending one)', 'Export'),
        ...errors,
      },
    },
  },
  '/api/account/exports/{id}': {
    parameters: [idParam],
    get: {
      tags: ['account'],
      summary: 'Status of an export',
      responses: { '200': answerOf('OK', 'Export') },
    },
  },
  '/api/account/exports/{id}/download': {
    parameters: [idParam],
    get: {
      tags: ['account'],
      summary: 'Download a ready export until it expires',
      responses: {
        '200': {
          description: 'ZIP',
          content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
        },
        '410': failure('Expired'),
      },
    },
  },
  '/api/account/cancel': {
    post: {
      tags: ['account'],
      summary: 'Cancel my account (crypto-shreds my data)',
      security: csrf,
      requestBody: requiredBody(accountCancelBody),
      responses: {
        '202': answer('Cancelled', cancelledResponse),
        ...errors,
      },
    },
  },
  '/api/account/consent': {
    get: {
      tags: ['privacy'],
      summary: 'My cookie choices, the consent log and the policy versions I accepted',
      responses: { '200': answer('OK', accountConsentResponse), '401': errors['401'] },
    },
    post: {
      tags: ['privacy'],
      summary: 'Give or withdraw consent per purpose',
      security: csrf,
      requestBody: requiredBody(accountConsentBody),
      responses: { '200': answerOf('OK', 'Consent'), ...errors },
    },
  },
  '/api/consent': {
    get: {
      tags: ['privacy'],
      summary: "This browser's cookie choice",
      security: [],
      responses: { '200': answerOf('OK', 'Consent') },
    },
  },
  '/api/policy': {
    get: {
      tags: ['privacy'],
      summary: 'Privacy policy versions; `mustAccept` when signed in',
      security: [],
      responses: {
        '200': answer('OK', policyListResponse),
      },
    },
  },
};
