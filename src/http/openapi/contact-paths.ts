import type { z } from 'zod';
import {
  contactBody,
  contactConfirmedResponse,
  contactSubmittedResponse,
  contactVerifyBody,
} from '../schemas/contact.schemas.js';
import { answer, errors, failure, fromZod } from './common.js';

const formToken =
  'The form token: the value of the `instune_form` cookie that `GET /contact` sets, sent back in the `_csrf` field or the `x-csrf-token` header (a signed-in caller may send its session CSRF token instead).';

/** A browser form and an API client post the same fields. */
const jsonOrForm = (schema: z.ZodType) => ({
  'application/json': { schema: fromZod(schema) },
  'application/x-www-form-urlencoded': { schema: fromZod(schema) },
});
const tooMany = failure('Too many posts from this address');

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
        content: jsonOrForm(contactBody),
      },
      responses: {
        '202': answer(
          'Accepted: check the mailbox for the confirmation link',
          contactSubmittedResponse,
        ),
        '400': errors['400'],
        '403': failure('Missing or wrong form token, or a cross-site post'),
        '429': tooMany,
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
        content: jsonOrForm(contactVerifyBody),
      },
      responses: {
        '200': answer(
          'Confirmed: the ticket and the date it will be answered by (China time)',
          contactConfirmedResponse,
        ),
        '403': failure('A cross-site post'),
        '410': failure('The link is unknown, mangled or older than 24 hours'),
        '429': tooMany,
      },
    },
  },
};
