/**
 * The JSON API, described by hand (the routes validate with zod, not JSON Schema, so there is
 * nothing to generate it from). Served at /docs (Swagger UI) and /docs/json. Keep it in step with
 * src/http/routes/*.routes.ts; the browser test opens /docs and /docs/json.
 */
import type { StaticDocumentSpec } from '@fastify/swagger';
import { STYLES } from '../music/styles/style-registry.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errors = {
  '400': { description: 'Invalid input', ...json(ref('Error')) },
  '401': { description: 'Not signed in', ...json(ref('Error')) },
  '403': { description: 'Missing or wrong CSRF token', ...json(ref('Error')) },
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', maxLength: 64 },
} as const;
const csrf = [{ session: [], csrf: [] }];

export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Instune API',
    version: '1.0.0',
    description:
      'Turn a picture (and optional words) into original, AI-generated music. Sign in through the web (`/auth/login`); the session cookie authenticates every call. Calls that change state also need the CSRF token from `GET /api/me` in the `x-csrf-token` header. Errors answer `{"error": {"code", "message", "requestId"}}`.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'me' },
    { name: 'generations' },
    { name: 'credits' },
    { name: 'account', description: 'The account center: see, correct, export, cancel.' },
    { name: 'privacy', description: 'Cookie consent and privacy policy versions.' },
  ],
  components: {
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'instune_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', example: 'validation_failed' },
              message: { type: 'string' },
              requestId: { type: 'string' },
            },
          },
        },
      },
      Me: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          email: { type: 'string', nullable: true },
          name: { type: 'string', nullable: true },
          avatarUrl: { type: 'string', nullable: true },
          createdAt: { type: 'string', format: 'date-time' },
          csrfToken: { type: 'string' },
        },
      },
      Plan: {
        type: 'object',
        properties: {
          key: { type: 'string', example: 'D' },
          mode: { type: 'string', example: 'major' },
          tempo: { type: 'integer', example: 96 },
          style: { type: 'string', example: 'ambient' },
          explanation: { type: 'string' },
          valence: { type: 'number' },
          arousal: { type: 'number' },
          palette: {
            type: 'array',
            items: {
              type: 'object',
              properties: { hex: { type: 'string' }, weight: { type: 'number' } },
            },
          },
        },
      },
      Generation: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
          stage: {
            type: 'string',
            enum: [
              'queued',
              'analysing',
              'composing',
              'rendering',
              'encoding',
              'storing',
              'done',
              'failed',
            ],
          },
          seconds: { type: 'integer' },
          seed: { type: 'integer' },
          createdAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: 'string', format: 'date-time', nullable: true },
          expiresAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When the generated music is deleted (24 h after generation).',
          },
          downloadable: { type: 'boolean' },
          plan: { ...ref('Plan'), nullable: true },
          error: {
            type: 'object',
            nullable: true,
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
      Credits: {
        type: 'object',
        properties: {
          balance: { type: 'integer', description: 'Spendable now' },
          reserved: { type: 'integer', description: 'Held for pieces in progress' },
          generationCost: { type: 'integer' },
          packs: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                credits: { type: 'integer' },
                amountCents: { type: 'integer' },
                currency: { type: 'string' },
              },
            },
          },
          checkout: { type: 'string', enum: ['stripe', 'local'] },
        },
      },
      Purchase: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          packId: { type: 'string' },
          credits: { type: 'integer' },
          amountCents: { type: 'integer' },
          currency: { type: 'string' },
          status: {
            type: 'string',
            enum: ['pending', 'paid', 'partially_refunded', 'refunded', 'expired'],
          },
          refundedCents: { type: 'integer' },
          creditsRefunded: { type: 'integer' },
          createdAt: { type: 'string', format: 'date-time' },
          paidAt: { type: 'string', format: 'date-time', nullable: true },
        },
      },
      LedgerEntry: {
        type: 'object',
        properties: {
          kind: {
            type: 'string',
            enum: ['grant', 'reservation', 'capture', 'release', 'refund', 'adjustment'],
          },
          amount: { type: 'integer' },
          balanceAfter: { type: 'integer' },
          reason: { type: 'string', nullable: true },
          generationId: { type: 'string', nullable: true },
          purchaseId: { type: 'string', nullable: true },
          shortfall: { type: 'integer', nullable: true },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      StoredDataItem: {
        type: 'object',
        properties: {
          what: { type: 'string' },
          why: { type: 'string' },
          retention: { type: 'string' },
        },
      },
      RightsRequest: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          kind: {
            type: 'string',
            enum: [
              'access',
              'export',
              'correction',
              'deletion',
              'cancellation',
              'withdraw_consent',
              'complaint',
              'other',
            ],
          },
          status: { type: 'string', enum: ['open', 'in_progress', 'done', 'rejected'] },
          message: { type: 'string', nullable: true },
          createdAt: { type: 'string', format: 'date-time' },
          dueAt: { type: 'string', format: 'date-time' },
          dueDate: { type: 'string', format: 'date', description: '15 business days later' },
          closedAt: { type: 'string', format: 'date-time', nullable: true },
        },
      },
      Export: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: { type: 'string', enum: ['pending', 'ready', 'failed', 'expired'] },
          createdAt: { type: 'string', format: 'date-time' },
          readyAt: { type: 'string', format: 'date-time', nullable: true },
          expiresAt: { type: 'string', format: 'date-time', nullable: true },
          bytes: { type: 'integer', nullable: true },
        },
      },
      Consent: {
        type: 'object',
        properties: {
          decided: { type: 'boolean' },
          preferences: { type: 'boolean' },
          analytics: { type: 'boolean' },
          policyVersion: { type: 'string', nullable: true },
          cookies: { type: 'object', additionalProperties: { type: 'array', items: {} } },
        },
      },
    },
  },
  security: [{ session: [] }],
  paths: {
    '/api/me': {
      get: {
        tags: ['me'],
        summary: 'The signed-in user, with the CSRF token for state-changing calls',
        responses: { '200': { description: 'OK', ...json(ref('Me')) }, '401': errors['401'] },
      },
    },
    '/api/generations': {
      get: {
        tags: ['generations'],
        summary: 'My generations, newest first (at most 100)',
        responses: {
          '200': {
            description: 'OK',
            ...json({
              type: 'object',
              properties: { generations: { type: 'array', items: ref('Generation') } },
            }),
          },
          '401': errors['401'],
        },
      },
      post: {
        tags: ['generations'],
        summary: 'Start composing from a picture; reserves the cost in credits',
        security: csrf,
        parameters: [
          {
            name: 'idempotency-key',
            in: 'header',
            required: false,
            description: 'Repeat a submission safely: the same key returns the same generation.',
            schema: { type: 'string', maxLength: 200 },
          },
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
                },
              },
            },
          },
        },
        responses: {
          '202': { description: 'Accepted and queued', ...json(ref('Generation')) },
          ...errors,
          '402': { description: 'Not enough credits', ...json(ref('Error')) },
          '409': {
            description: 'The current privacy policy must be accepted first',
            ...json(ref('Error')),
          },
        },
      },
    },
    '/api/generations/{id}': {
      parameters: [idParam],
      get: {
        tags: ['generations'],
        summary: 'Status, stage and (when done) the plan of one generation (or follow /events)',
        responses: {
          '200': { description: 'OK', ...json(ref('Generation')) },
          '401': errors['401'],
          '404': { description: 'Not found', ...json(ref('Error')) },
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
          '404': { description: 'Not found', ...json(ref('Error')) },
        },
      },
    },
    '/api/generations/{id}/variations': {
      parameters: [idParam],
      post: {
        tags: ['generations'],
        summary:
          'A variation: the same plan composed again with a new seed (costs one piece); no new upload needed',
        security: csrf,
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', properties: { seed: { type: 'integer', minimum: 0 } } },
            },
          },
        },
        responses: {
          '202': { description: 'Queued', ...json(ref('Generation')) },
          '401': errors['401'],
          '402': { description: 'Not enough credits', ...json(ref('Error')) },
          '403': errors['403'],
          '404': { description: 'Not found', ...json(ref('Error')) },
          '410': { description: 'The original has been deleted (24 hours)', ...json(ref('Error')) },
        },
      },
    },
    '/api/generations/{id}/audio': {
      parameters: [idParam],
      get: {
        tags: ['generations'],
        summary: 'Download the music (AIGC-labelled) as MP3, WAV or MIDI',
        parameters: [
          {
            name: 'format',
            in: 'query',
            schema: { type: 'string', enum: ['mp3', 'wav', 'midi'], default: 'mp3' },
          },
        ],
        responses: {
          '200': {
            description: 'The file',
            content: {
              'audio/mpeg': { schema: { type: 'string', format: 'binary' } },
              'audio/wav': { schema: { type: 'string', format: 'binary' } },
              'audio/midi': { schema: { type: 'string', format: 'binary' } },
            },
          },
          '409': { description: 'Not ready yet', ...json(ref('Error')) },
          '410': { description: 'Deleted (music is kept 24 hours)', ...json(ref('Error')) },
        },
      },
    },
    '/api/generations/{id}/stems': {
      parameters: [idParam],
      get: {
        tags: ['generations'],
        summary:
          'Download the stems: a ZIP of one AIGC-labelled WAV per part, which sum to the mix',
        responses: {
          '200': {
            description: 'The ZIP',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          '404': { description: 'Made before stems existed', ...json(ref('Error')) },
          '409': { description: 'Not ready yet', ...json(ref('Error')) },
          '410': { description: 'Deleted (music is kept 24 hours)', ...json(ref('Error')) },
        },
      },
    },
    '/api/credits': {
      get: {
        tags: ['credits'],
        summary: 'Balance, cost of a piece and the credit packs on sale',
        responses: { '200': { description: 'OK', ...json(ref('Credits')) }, '401': errors['401'] },
      },
    },
    '/api/credits/history': {
      get: {
        tags: ['credits'],
        summary: 'Purchases and the append-only credit ledger',
        responses: {
          '200': {
            description: 'OK',
            ...json({
              type: 'object',
              properties: {
                purchases: { type: 'array', items: ref('Purchase') },
                entries: { type: 'array', items: ref('LedgerEntry') },
              },
            }),
          },
        },
      },
    },
    '/api/credits/checkout': {
      post: {
        tags: ['credits'],
        summary:
          'Start a checkout for a pack; open the returned URL (Stripe, or the local test checkout)',
        security: csrf,
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['packId'],
            properties: { packId: { type: 'string' } },
          }),
        },
        responses: {
          '201': {
            description: 'Checkout created',
            ...json({
              type: 'object',
              properties: { url: { type: 'string' }, purchaseId: { type: 'string' } },
            }),
          },
          ...errors,
        },
      },
    },
    '/api/account': {
      get: {
        tags: ['account'],
        summary: 'My account and what is stored about me, why and for how long',
        responses: {
          '200': {
            description: 'OK',
            ...json({
              type: 'object',
              properties: {
                account: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    email: { type: 'string', nullable: true },
                    name: { type: 'string', nullable: true },
                    avatarUrl: { type: 'string', nullable: true },
                    createdAt: { type: 'string', format: 'date-time' },
                  },
                },
                stored: { type: 'array', items: ref('StoredDataItem') },
              },
            }),
          },
          '401': errors['401'],
        },
      },
      patch: {
        tags: ['account'],
        summary: 'Correct my name',
        security: csrf,
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string', maxLength: 400 } },
          }),
        },
        responses: { '204': { description: 'Saved' }, ...errors },
      },
    },
    '/api/account/requests': {
      get: {
        tags: ['account'],
        summary: 'My rights requests and complaints, with due dates (15 business days)',
        responses: {
          '200': {
            description: 'OK',
            ...json({
              type: 'object',
              properties: { requests: { type: 'array', items: ref('RightsRequest') } },
            }),
          },
        },
      },
      post: {
        tags: ['account'],
        summary: 'File a rights request or complaint',
        security: csrf,
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['kind'],
            properties: {
              kind: {
                type: 'string',
                enum: [
                  'access',
                  'correction',
                  'deletion',
                  'withdraw_consent',
                  'complaint',
                  'other',
                ],
              },
              message: { type: 'string', maxLength: 4000 },
            },
          }),
        },
        responses: { '201': { description: 'Filed', ...json(ref('RightsRequest')) }, ...errors },
      },
    },
    '/api/account/exports': {
      post: {
        tags: ['account'],
        summary: 'Request a ZIP export of my data (JSON + files); poll it until ready',
        security: csrf,
        responses: {
          '202': { description: 'Started (or the pending one)', ...json(ref('Export')) },
          ...errors,
        },
      },
    },
    '/api/account/exports/{id}': {
      parameters: [idParam],
      get: {
        tags: ['account'],
        summary: 'Status of an export',
        responses: { '200': { description: 'OK', ...json(ref('Export')) } },
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
          '410': { description: 'Expired', ...json(ref('Error')) },
        },
      },
    },
    '/api/account/cancel': {
      post: {
        tags: ['account'],
        summary: 'Cancel my account (crypto-shreds my data)',
        security: csrf,
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['confirm'],
            properties: { confirm: { type: 'string', enum: ['cancel my account'] } },
          }),
        },
        responses: {
          '202': {
            description: 'Cancelled',
            ...json({ type: 'object', properties: { cancelled: { type: 'boolean' } } }),
          },
          ...errors,
        },
      },
    },
    '/api/account/consent': {
      get: {
        tags: ['privacy'],
        summary: 'My cookie choices, the consent log and the policy versions I accepted',
        responses: { '200': { description: 'OK' } },
      },
      post: {
        tags: ['privacy'],
        summary: 'Give or withdraw consent per purpose',
        security: csrf,
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            properties: { preferences: { type: 'boolean' }, analytics: { type: 'boolean' } },
          }),
        },
        responses: { '200': { description: 'OK', ...json(ref('Consent')) }, ...errors },
      },
    },
    '/api/consent': {
      get: {
        tags: ['privacy'],
        summary: "This browser's cookie choice",
        security: [],
        responses: { '200': { description: 'OK', ...json(ref('Consent')) } },
      },
    },
    '/api/policy': {
      get: {
        tags: ['privacy'],
        summary: 'Privacy policy versions; `mustAccept` when signed in',
        security: [],
        responses: {
          '200': {
            description: 'OK',
            ...json({
              type: 'object',
              properties: {
                current: { type: 'object', nullable: true },
                versions: { type: 'array', items: { type: 'object' } },
                mustAccept: { type: 'boolean' },
              },
            }),
          },
        },
      },
    },
  },
};

/**
 * For @fastify/swagger's static mode. The literal's strings would need `as const` everywhere to
 * satisfy openapi-types, so it is cast once here; Swagger UI renders it in the browser test.
 */
export const openApiSpecification: StaticDocumentSpec = {
  document: openApiDocument as unknown as StaticDocumentSpec['document'],
};
