import {
  staffAuditQuery,
  staffBreachBody,
  staffRequestParams,
  staffRequestQueueQuery,
  staffRequestReplyBody,
  staffRequestStatusBody,
  staffRoleBody,
  staffUserParams,
} from '../schemas/staff.schemas.js';
import {
  staffAccountResponse,
  staffAuditLogResponse,
  staffBreachAssessmentResponse,
  staffBreachNoticeResponse,
  staffGenerationListResponse,
  staffRequestQueueResponse,
  staffRequestReplyResponse,
  staffRequestResponse,
  staffRequestStatusResponse,
  staffRoleResponse,
} from '../schemas/staff-response.schemas.js';
import { answer, csrf, errors, failure, parametersFromZod, requiredBody } from './common.js';

const staffOnly = {
  '401': errors['401'],
  '403': failure('Not staff, or a role this call does not allow'),
};
const notFound = failure('No such request');

/** The staff API: every call is written to the audit log before it answers. */
export const staffPaths = {
  '/api/staff/users/{id}': {
    parameters: parametersFromZod(staffUserParams, 'path'),
    get: {
      tags: ['staff'],
      summary: "A user's account, as support sees it (audited)",
      responses: { '200': answer('OK', staffAccountResponse), ...staffOnly },
    },
  },
  '/api/staff/users/{id}/generations': {
    parameters: parametersFromZod(staffUserParams, 'path'),
    get: {
      tags: ['staff'],
      summary: "A user's generations without their content (audited)",
      responses: {
        '200': answer('OK', staffGenerationListResponse),
        ...staffOnly,
      },
    },
  },
  '/api/staff/requests': {
    get: {
      tags: ['staff'],
      summary:
        'The rights-request and complaint queue, soonest due first, with due date, business days left and alert (support/admin, audited)',
      parameters: parametersFromZod(staffRequestQueueQuery, 'query'),
      responses: {
        '200': answer('OK', staffRequestQueueResponse),
        '400': errors['400'],
        ...staffOnly,
      },
    },
  },
  '/api/staff/requests/{id}': {
    parameters: parametersFromZod(staffRequestParams, 'path'),
    get: {
      tags: ['staff'],
      summary: "One request with the requester's text and the replies (support/admin, audited)",
      responses: {
        '200': answer('OK', staffRequestResponse),
        '404': notFound,
        ...staffOnly,
      },
    },
    patch: {
      tags: ['staff'],
      summary:
        'Change the status: done or rejected closes the request, open or in_progress reopens it (support/admin, audited)',
      security: csrf,
      requestBody: requiredBody(staffRequestStatusBody),
      responses: {
        '200': answer('OK', staffRequestStatusResponse),
        '400': errors['400'],
        '404': notFound,
        ...staffOnly,
      },
    },
  },
  '/api/staff/requests/{id}/replies': {
    parameters: parametersFromZod(staffRequestParams, 'path'),
    post: {
      tags: ['staff'],
      summary:
        'Reply: shown with the request in the account center and mailed in its language (support/admin, audited)',
      security: csrf,
      requestBody: requiredBody(staffRequestReplyBody),
      responses: {
        '201': answer('Stored, mail queued', staffRequestReplyResponse),
        '400': errors['400'],
        '404': notFound,
        '410': failure('The account was cancelled'),
        ...staffOnly,
      },
    },
  },
  '/api/staff/roles': {
    post: {
      tags: ['staff'],
      summary: 'Grant or revoke a staff role (admin only, audited)',
      security: csrf,
      requestBody: requiredBody(staffRoleBody),
      responses: {
        '200': answer('OK', staffRoleResponse),
        '400': errors['400'],
        ...staffOnly,
      },
    },
  },
  '/api/staff/breaches/assess': {
    post: {
      tags: ['staff'],
      summary:
        'Users and data categories a breach touched, with the regulator report drafted (admin only, audited)',
      security: csrf,
      requestBody: requiredBody(staffBreachBody),
      responses: {
        '200': answer('OK', staffBreachAssessmentResponse),
        '400': errors['400'],
        ...staffOnly,
      },
    },
  },
  '/api/staff/breaches/notify': {
    post: {
      tags: ['staff'],
      summary: 'Queue the breach notice by email to every affected user (admin only, audited)',
      security: csrf,
      requestBody: requiredBody(staffBreachBody),
      responses: {
        '202': answer('Queued', staffBreachNoticeResponse),
        '400': errors['400'],
        ...staffOnly,
      },
    },
  },
  '/api/staff/audit': {
    get: {
      tags: ['staff'],
      summary: 'The audit log from a sequence number, with the hash chain verified (auditor)',
      parameters: parametersFromZod(staffAuditQuery, 'query'),
      responses: {
        '200': answer('OK', staffAuditLogResponse),
        ...staffOnly,
      },
    },
  },
};
