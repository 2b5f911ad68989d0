import {
  staffAuditQuery,
  staffBreachBody,
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
