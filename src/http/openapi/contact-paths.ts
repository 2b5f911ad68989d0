import { contactBody, contactVerifyBody } from '../schemas/contact.schemas.js';
import { errors, fromZod, json, ref } from './common.js';

const formToken =
  'The form token: the value of the `instune_form` cookie that `GET /contact` sets, sent back in the `_csrf` field or the `x-csrf-token` header (a signed-in caller may send its session CSRF token instead).';

/** The contact form, open without an account (no session needed). */
export const contactPaths = {
  '/api/contact': {
    post: {
      tags: ['privacy'],
      summary:
        'Send a question, complaint or rights request without an account; a confirmation link is mailed to the address given',
      description: `${formToken} The answer is the same whatever the address (nothing is said about it); the message becomes a ticket only when the link is opened within 24 hours, and is deleted otherwise. Limited per IP. A browser form post is answered with a redirect to the "check your mail" page.`,
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: fromZod(contactBody) },
          'application/x-www-form-urlencoded': { schema: fromZod(contactBody) },
        },
      },
      responses: {
        '202': {
          description: 'Accepted: check the mailbox for the confirmation link',
          ...json({
            type: 'object',
            properties: { status: { type: 'string', enum: ['check_your_mail'] } },
          }),
        },
        '400': errors['400'],
        '403': {
          description: 'Missing or wrong form token, or a cross-site post',
          ...json(ref('Error')),
        },
        '429': { description: 'Too many posts from this address', ...json(ref('Error')) },
      },
    },
  },
  '/api/contact/verify': {
    post: {
      tags: ['privacy'],
      summary: 'Confirm a contact message with the token from the mailed link; it becomes a ticket',
      description:
        'Using the same link again answers with the same ticket. A browser form post is answered with a page.',
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: fromZod(contactVerifyBody) },
          'application/x-www-form-urlencoded': { schema: fromZod(contactVerifyBody) },
        },
      },
      responses: {
        '200': {
          description: 'Confirmed: the ticket and the date it will be answered by (China time)',
          ...json({
            type: 'object',
            properties: {
              requestId: { type: 'string', format: 'uuid' },
              kind: { type: 'string', enum: ['question', 'complaint', 'rights_request'] },
              dueDate: { type: 'string', format: 'date' },
              alreadyConfirmed: { type: 'boolean' },
            },
          }),
        },
        '403': { description: 'A cross-site post', ...json(ref('Error')) },
        '410': {
          description: 'The link is unknown, mangled or older than 24 hours',
          ...json(ref('Error')),
        },
        '429': { description: 'Too many posts from this address', ...json(ref('Error')) },
      },
    },
  },
};
