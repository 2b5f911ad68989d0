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
import { csrf, errors, failure, fromZod, json, parametersFromZod } from './common.js';

const staffOnly = {
  '401': errors['401'],
  '403': failure('Not staff, or a role this call does not allow'),
};
const audited = (properties: Record<string, object>) =>
  json({ type: 'object', properties: { ...properties, auditSeq: { type: 'integer' } } });

const notFound = failure('No such request');
const requestStatus = { type: 'string', enum: ['open', 'in_progress', 'done', 'rejected'] };
const requestFields = {
  id: { type: 'string' },
  userId: {
    type: 'string',
    nullable: true,
    description:
      'the requester (an id: the queue shows no names); null for the contact form or a cancelled account',
  },
  kind: { type: 'string' },
  status: requestStatus,
  language: { type: 'string', enum: ['en', 'zh'] },
  createdAt: { type: 'string', format: 'date-time' },
  dueAt: { type: 'string', format: 'date-time' },
  dueDate: { type: 'string', format: 'date', description: '15 business days (China) after filing' },
  closedAt: { type: 'string', format: 'date-time', nullable: true },
  businessDaysLeft: { type: 'integer', description: 'after today (China time); 0 on the due date' },
  alert: {
    type: 'string',
    enum: ['near_due', 'overdue'],
    nullable: true,
    description: 'for waiting requests: overdue, or at most 3 business days left',
  },
};
const requestItem = {
  type: 'object',
  properties: { ...requestFields, replies: { type: 'integer', description: 'how many replies' } },
};
const requestDetail = {
  type: 'object',
  properties: {
    ...requestFields,
    message: { type: 'string', nullable: true, description: 'null once the account is cancelled' },
    contact: {
      type: 'object',
      nullable: true,
      description: 'who wrote through the contact form without an account (read is audited)',
      properties: { name: { type: 'string', nullable: true }, email: { type: 'string' } },
    },
    replies: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          staffUserId: { type: 'string' },
          message: { type: 'string', nullable: true },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

/** The staff API: every call is written to the audit log before it answers. */
export const staffPaths = {
  '/api/staff/users/{id}': {
    parameters: parametersFromZod(staffUserParams, 'path'),
    get: {
      tags: ['staff'],
      summary: "A user's account, as support sees it (audited)",
      responses: { '200': { description: 'OK', ...audited({ account: {} }) }, ...staffOnly },
    },
  },
  '/api/staff/users/{id}/generations': {
    parameters: parametersFromZod(staffUserParams, 'path'),
    get: {
      tags: ['staff'],
      summary: "A user's generations without their content (audited)",
      responses: {
        '200': { description: 'OK', ...audited({ generations: { type: 'array', items: {} } }) },
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
        '200': {
          description: 'OK',
          ...audited({ requests: { type: 'array', items: requestItem } }),
        },
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
        '200': { description: 'OK', ...audited({ request: requestDetail }) },
        '404': notFound,
        ...staffOnly,
      },
    },
    patch: {
      tags: ['staff'],
      summary:
        'Change the status: done or rejected closes the request, open or in_progress reopens it (support/admin, audited)',
      security: csrf,
      requestBody: { required: true, ...json(fromZod(staffRequestStatusBody)) },
      responses: {
        '200': {
          description: 'OK',
          ...audited({ request: requestDetail, changed: { type: 'boolean' } }),
        },
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
      requestBody: { required: true, ...json(fromZod(staffRequestReplyBody)) },
      responses: {
        '201': {
          description: 'Stored, mail queued',
          ...audited({ request: requestDetail, replyId: { type: 'string' } }),
        },
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
      requestBody: { required: true, ...json(fromZod(staffRoleBody)) },
      responses: {
        '200': { description: 'OK', ...audited({ changed: { type: 'boolean' } }) },
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
      requestBody: { required: true, ...json(fromZod(staffBreachBody)) },
      responses: {
        '200': {
          description: 'OK',
          ...audited({
            users: { type: 'array', items: {} },
            categories: { type: 'object' },
            regulatorReport: { type: 'object' },
          }),
        },
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
      requestBody: { required: true, ...json(fromZod(staffBreachBody)) },
      responses: {
        '202': { description: 'Queued', ...audited({ queued: { type: 'integer' } }) },
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
        '200': {
          description: 'OK',
          ...json({
            type: 'object',
            properties: {
              entries: { type: 'array', items: {} },
              nextAfterSeq: { type: 'integer', nullable: true },
              verification: {},
            },
          }),
        },
        ...staffOnly,
      },
    },
  },
};
