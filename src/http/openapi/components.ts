import { ref } from './common.js';

/** The document's shared components: security schemes and the response bodies. */
export const components = {
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
    Bilingual: {
      type: 'object',
      properties: { en: { type: 'string' }, zh: { type: 'string' } },
      required: ['en', 'zh'],
    },
    Plan: {
      type: 'object',
      properties: {
        key: { type: 'string', example: 'D' },
        mode: { type: 'string', example: 'major' },
        tempo: { type: 'integer', example: 96 },
        style: { type: 'string', example: 'ambient' },
        explanation: {
          type: 'string',
          description: 'The numbers behind the choices, in English, as one line.',
        },
        story: {
          type: 'object',
          description:
            'What the picture showed and what was chosen, for a person, in English and Chinese; the numbers as details. Absent for pieces made before it existed.',
          properties: {
            summary: { $ref: '#/components/schemas/Bilingual' },
            details: { type: 'array', items: { $ref: '#/components/schemas/Bilingual' } },
          },
        },
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
        parentId: {
          type: 'string',
          nullable: true,
          description: 'The piece this one was made from',
        },
        derivation: {
          type: 'string',
          nullable: true,
          enum: ['variation', 'version', 'extension'],
          description: 'How it was made from its parent',
        },
        title: {
          type: 'string',
          nullable: true,
          maxLength: 80,
          description: "The owner's title; null when the piece is named from its plan",
        },
        mood: {
          type: 'string',
          nullable: true,
          enum: ['calm', 'happy', 'sad', 'energetic', 'dark', 'dreamy'],
          description: "The mood chosen, else the one nearest the plan's valence and arousal",
        },
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
};
