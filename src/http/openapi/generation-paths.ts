import type { z } from 'zod';
import { TONICS } from '../../music/plan/key.js';
import { STYLES } from '../../music/styles/style-registry.js';
import { checkoutBody } from '../schemas/credits.schemas.js';
import {
  audioQuery,
  extensionBody,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  renameBody,
  variationBody,
  versionsBody,
} from '../schemas/generation.schemas.js';
import {
  checkoutResponse,
  creditHistoryResponse,
  generationListResponse,
  generationVersionsResponse,
} from '../schemas/response.schemas.js';
import {
  answer,
  answerOf,
  csrf,
  errors,
  failure,
  fromZod,
  idParam,
  json,
  parametersFromZod,
  requiredBody,
} from './common.js';

/** The Idempotency-Key header of the calls that charge credits. */
const idempotencyKey = (description: string) => ({
  name: 'idempotency-key',
  in: 'header',
  required: false,
  description,
  schema: { type: 'string', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
});
const originalDeleted = failure('The original has been deleted (24 hours)');

/**
 * A piece made from another (a variation, two versions, an extension): a CSRF-checked POST on
 * the original's id that charges credits, answers 404 for an unknown original and 410 once it
 * has been deleted; the body, the answers and the Idempotency-Key's wording are the operation's.
 */
function derivedPiece(operation: {
  summary: string;
  idempotencyKey?: string;
  body: z.ZodType;
  responses: Record<string, object>;
}) {
  return {
    parameters: [idParam],
    post: {
      tags: ['generations'],
      summary: operation.summary,
      security: csrf,
      ...(operation.idempotencyKey && { parameters: [idempotencyKey(operation.idempotencyKey)] }),
      requestBody: json(fromZod(operation.body)),
      responses: {
        ...operation.responses,
        '404': failure('Not found'),
        '410': originalDeleted,
      },
    },
  };
}

/** Me, generations and credits. */
export const generationPaths = {
  '/api/me': {
    get: {
      tags: ['me'],
      summary: 'The signed-in user, with the CSRF token for state-changing calls',
      responses: { '200': answerOf('OK', 'Me'), '401': errors['401'] },
    },
  },
  '/api/generations': {
    get: {
      tags: ['generations'],
      summary: 'My generations, newest first (at most 100)',
      responses: {
        '200': answer('OK', generationListResponse),
        '401': errors['401'],
      },
    },
    post: {
      tags: ['generations'],
      summary: 'Start composing from a picture; reserves the cost in credits',
      security: csrf,
      parameters: [
        idempotencyKey('Repeat a submission safely: the same key returns the same generation.'),
      ],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['image'],
              properties: {
                image: { type: 'string', format: 'binary', description: 'JPEG, PNG or WebP' },
                text: {
                  type: 'string',
                  description: 'Optional description (English or Chinese)',
                },
                seconds: { type: 'integer', minimum: 10, maximum: 180, default: 30 },
                seed: {
                  type: 'integer',
                  minimum: 0,
                  description: 'Same inputs + seed → same music',
                },
                style: {
                  type: 'string',
                  enum: [...STYLES],
                },
                mood: {
                  type: 'string',
                  enum: ['calm', 'happy', 'sad', 'energetic', 'dark', 'dreamy'],
                },
                tempo: { type: 'integer', minimum: 50, maximum: 180, description: 'BPM' },
                instrument: { type: 'string', example: 'piano' },
                loop: { type: 'string', enum: ['true', 'false'] },
                key: {
                  type: 'string',
                  enum: [...TONICS],
                  description: 'Tonic of the key; empty lets the picture choose',
                },
                mode: {
                  type: 'string',
                  enum: ['major', 'minor'],
                  description: 'Major or minor; may be set without a tonic',
                },
              },
            },
          },
        },
      },
      responses: {
        '202': answerOf('Accepted and queued', 'Generation'),
        ...errors,
        '402': failure('Not enough credits'),
        '409': failure('The current privacy policy must be accepted first'),
      },
    },
  },
  '/api/generations/{id}': {
    parameters: [idParam],
    get: {
      tags: ['generations'],
      summary: 'Status, stage and (when done) the plan of one generation (or follow /events)',
      responses: {
        '200': answerOf('OK', 'Generation'),
        '401': errors['401'],
        '404': failure('Not found'),
      },
    },
    patch: {
      tags: ['generations'],
      summary:
        'Rename a finished piece (at most 80 characters, stored encrypted, deleted with the music); an empty title goes back to the name from its plan',
      security: csrf,
      requestBody: json(fromZod(renameBody)),
      responses: {
        '200': answerOf('Renamed', 'Generation'),
        ...errors,
        '404': failure('Not found'),
        '409': failure('Not finished yet'),
        '410': failure('The music has been deleted (24 hours)'),
      },
    },
    delete: {
      tags: ['generations'],
      summary: 'Delete a generation and its files now',
      security: csrf,
      responses: {
        '204': { description: 'Deleted' },
        '401': errors['401'],
        '403': errors['403'],
      },
    },
  },
  '/api/generations/{id}/events': {
    parameters: [idParam],
    get: {
      tags: ['generations'],
      summary:
        'Server-Sent Events: one `generation` event (the Generation as JSON) per change of stage, until it is done or failed',
      responses: {
        '200': {
          description: 'An event stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '401': errors['401'],
        '404': failure('Not found'),
      },
    },
  },
  '/api/generations/{id}/variations': derivedPiece({
    summary:
      'A variation: the same plan composed again with a new seed (costs one piece); no new upload needed',
    idempotencyKey: 'Repeat safely: the same key returns the same variation.',
    body: variationBody,
    responses: {
      '202': answerOf('Queued', 'Generation'),
      '401': errors['401'],
      '402': failure('Not enough credits'),
      '403': errors['403'],
    },
  }),
  '/api/generations/{id}/versions': derivedPiece({
    summary:
      'Two versions: the same plan composed with two new seeds, one piece’s credits each, both or neither',
    idempotencyKey: 'Repeat safely: the same key returns the same two versions.',
    body: versionsBody,
    responses: {
      '202': answer('Both queued', generationVersionsResponse),
      '401': errors['401'],
      '402': failure('Not enough credits for both'),
      '403': errors['403'],
      '409': failure('The original is not finished yet'),
    },
  }),
  '/api/generations/{id}/extensions': derivedPiece({
    summary:
      'Extend by N seconds: the same plan with more of its form and the same seed, so it starts as the original and goes on (costs one piece; at most 180 s in all)',
    idempotencyKey: 'Repeat safely: the same key returns the same extension.',
    body: extensionBody,
    responses: {
      '202': answerOf('Queued', 'Generation'),
      ...errors,
      '402': failure('Not enough credits'),
      '409': failure('Not finished, a loop, or already at the length limit'),
    },
  }),
  '/api/generations/{id}/audio': {
    parameters: [idParam],
    get: {
      tags: ['generations'],
      summary: 'Download the music (AIGC-labelled) as MP3, WAV or MIDI',
      parameters: parametersFromZod(audioQuery, 'query'),
      responses: {
        '200': {
          description: 'The file',
          content: {
            'audio/mpeg': { schema: { type: 'string', format: 'binary' } },
            'audio/wav': { schema: { type: 'string', format: 'binary' } },
            'audio/midi': { schema: { type: 'string', format: 'binary' } },
          },
        },
        '409': failure('Not ready yet'),
        '410': failure('Deleted (music is kept 24 hours)'),
      },
    },
  },
  '/api/generations/{id}/stems': {
    parameters: [idParam],
    get: {
      tags: ['generations'],
      summary: 'Download the stems: a ZIP of one AIGC-labelled WAV per part, which sum to the mix',
      responses: {
        '200': {
          description: 'The ZIP',
          content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
        },
        '404': failure('Made before stems existed'),
        '409': failure('Not ready yet'),
        '410': failure('Deleted (music is kept 24 hours)'),
      },
    },
  },
  '/api/credits': {
    get: {
      tags: ['credits'],
      summary: 'Balance, cost of a piece and the credit packs on sale',
      responses: { '200': answerOf('OK', 'Credits'), '401': errors['401'] },
    },
  },
  '/api/credits/history': {
    get: {
      tags: ['credits'],
      summary: 'Purchases and the append-only credit ledger',
      responses: {
        '200': answer('OK', creditHistoryResponse),
      },
    },
  },
  '/api/credits/checkout': {
    post: {
      tags: ['credits'],
      summary:
        'Start a checkout for a pack; open the returned URL (Stripe, or the local test checkout)',
      security: csrf,
      requestBody: requiredBody(checkoutBody),
      responses: {
        '201': answer('Checkout created', checkoutResponse),
        ...errors,
      },
    },
  },
};
