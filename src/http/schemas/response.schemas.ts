import { z } from 'zod';
import { errorReasons, type ErrorReason } from '../../lib/error-reasons.js';
import { errorCodes } from '../../lib/errors.js';
import { rightsRequestKinds } from '../../lib/rights-request-kinds.js';
import { MOODS } from '../../music/plan/music-plan.js';
import type { CreditSummary } from '../../modules/credits/credits.service.js';
import type { ConsentRecord } from '../../modules/policies/consent.service.js';
import { generationControlsSchema } from '../../modules/generations/generation-controls.js';
import type { GenerationView } from '../../modules/generations/generations.service.js';
import { planSummarySchema } from '../../modules/generations/plan-summary.js';
import type { PurchaseView } from '../../modules/payments/payments.service.js';
import type { ExportView } from '../../modules/privacy/data-export.service.js';
import type { StoredDataItem } from '../../modules/privacy/data-inventory.js';
import type { RightsRequestView } from '../../modules/privacy/rights-requests.service.js';

/**
 * The JSON the API answers with, as zod schemas: the OpenAPI document's response schemas are
 * generated from these (openapi/components.ts), the routes' serializers are typed by them, and
 * the services' view types must equal them (the checks at the end fail to compile when a field
 * is added, dropped or retyped on one side only). Dates are ISO strings, as JSON carries them.
 */

const dateTime = z.iso.datetime({ offset: true });
const nullableDateTime = dateTime.nullable();

export const errorResponse = z.object({
  error: z.object({
    code: z
      .enum(errorCodes)
      .meta({ example: 'validation_failed' })
      .describe('Stable: clients switch on it (it also sets the HTTP status).'),
    reason: z
      .enum(Object.keys(errorReasons) as [ErrorReason, ...ErrorReason[]])
      .optional()
      .describe('Stable and more specific than the code, when there is one.'),
    message: z
      .string()
      .describe(
        "For the user, in the request's language (?lang, the language cookie, Accept-Language): what happened and what to do.",
      ),
    action: z
      .object({ href: z.string(), label: z.string() })
      .optional()
      .describe('The page that helps (sign in, buy credits …), with its label.'),
    requestId: z.string().optional(),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The values behind the message (limits, counts), for clients.'),
  }),
});

export const accountResponse = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  createdAt: dateTime,
});
export type AccountResponse = z.output<typeof accountResponse>;

export const meResponse = accountResponse.extend({ csrfToken: z.string() });
export type MeResponse = z.output<typeof meResponse>;

export const generationResponse = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  stage: z.enum([
    'queued',
    'analysing',
    'composing',
    'rendering',
    'encoding',
    'storing',
    'done',
    'failed',
  ]),
  seconds: z.number().int(),
  seed: z.number().int(),
  createdAt: dateTime,
  finishedAt: nullableDateTime,
  expiresAt: nullableDateTime.describe(
    'When the generated music is deleted (24 h after generation).',
  ),
  downloadable: z.boolean(),
  plan: planSummarySchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  controls: z
    .object(generationControlsSchema.shape)
    .nullable()
    .describe('The explicit choices made on the create page, if any.'),
  parentId: z.string().nullable().describe('The piece this one was made from.'),
  derivation: z
    .enum(['variation', 'version', 'extension'])
    .nullable()
    .describe('How it was made from its parent.'),
  title: z
    .string()
    .max(80)
    .nullable()
    .describe("The owner's title; null when the piece is named from its plan."),
  mood: z
    .enum(MOODS)
    .nullable()
    .describe("The mood chosen, else the one nearest the plan's valence and arousal."),
  canVary: z.boolean().describe('Whether a variation can be made now.'),
});

export const generationListResponse = z.object({ generations: z.array(generationResponse) });

export const generationVersionsResponse = z.object({ versions: z.array(generationResponse) });
export type GenerationVersionsResponse = z.output<typeof generationVersionsResponse>;

export const creditPackResponse = z.object({
  id: z.string(),
  credits: z.number().int(),
  amountCents: z.number().int(),
  currency: z.string(),
});

export const creditsResponse = z.object({
  balance: z.number().int().describe('Spendable now'),
  reserved: z.number().int().describe('Held for pieces in progress'),
  generationCost: z.number().int(),
  packs: z.array(creditPackResponse),
  checkout: z.enum(['stripe', 'local']),
});
export type CreditsResponse = z.output<typeof creditsResponse>;

export const purchaseResponse = z.object({
  id: z.string(),
  packId: z.string(),
  credits: z.number().int(),
  amountCents: z.number().int(),
  currency: z.string(),
  status: z.enum(['pending', 'paid', 'partially_refunded', 'refunded', 'expired']),
  refundedCents: z.number().int(),
  creditsRefunded: z.number().int(),
  createdAt: dateTime,
  paidAt: nullableDateTime,
});

export const ledgerEntryResponse = z.object({
  kind: z.enum(['grant', 'reservation', 'capture', 'release', 'refund', 'adjustment']),
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  reason: z.string().nullable(),
  generationId: z.string().nullable(),
  purchaseId: z.string().nullable(),
  shortfall: z.number().int().nullable(),
  createdAt: dateTime,
});
export type LedgerEntryResponse = z.output<typeof ledgerEntryResponse>;

export const creditHistoryResponse = z.object({
  purchases: z.array(purchaseResponse),
  entries: z.array(ledgerEntryResponse),
});

export const checkoutResponse = z.object({ url: z.string(), purchaseId: z.string() });
export type CheckoutResponse = z.output<typeof checkoutResponse>;

export const storedDataItemResponse = z.object({
  what: z.string(),
  why: z.string(),
  retention: z.string(),
});

export const accountOverviewResponse = z.object({
  account: accountResponse,
  stored: z.array(storedDataItemResponse),
});

export const rightsRequestResponse = z.object({
  id: z.string(),
  kind: z.enum(rightsRequestKinds),
  status: z.enum(['open', 'in_progress', 'done', 'rejected']),
  message: z.string().nullable(),
  createdAt: dateTime,
  dueAt: dateTime,
  dueDate: z.iso.date().describe('15 business days later'),
  closedAt: nullableDateTime,
  language: z.enum(['en', 'zh']).describe('the language it was filed in; replies are mailed in it'),
  replies: z
    .array(z.object({ message: z.string(), createdAt: dateTime }))
    .describe('answers from Instune staff, oldest first'),
});

export const rightsRequestListResponse = z.object({ requests: z.array(rightsRequestResponse) });

export const exportResponse = z.object({
  id: z.string(),
  status: z.enum(['pending', 'ready', 'failed', 'expired']),
  createdAt: dateTime,
  readyAt: nullableDateTime,
  expiresAt: nullableDateTime,
  bytes: z.number().int().nullable(),
});

export const cancelledResponse = z.object({ cancelled: z.literal(true) });

export const consentResponse = z.object({
  decided: z.boolean(),
  preferences: z.boolean(),
  analytics: z.boolean(),
  policyVersion: z.string().nullable(),
  cookies: z
    .record(z.string(), z.array(z.string()))
    .describe('The cookie names of each purpose ("essential" among them).'),
});
export type ConsentResponse = z.output<typeof consentResponse>;

const consentRecordResponse = z.object({
  purpose: z.enum(['preferences', 'analytics']),
  decision: z.enum(['granted', 'denied']),
  policyVersion: z.string(),
  decidedAt: dateTime,
});

export const accountConsentResponse = z.object({
  current: consentResponse.describe("this browser's choice"),
  records: z.array(consentRecordResponse).describe('every choice this account made, oldest first'),
  policyAcceptances: z.array(z.object({ version: z.string(), acceptedAt: dateTime })),
});
export type AccountConsentResponse = z.output<typeof accountConsentResponse>;

export const policyVersionResponse = z.object({
  version: z.string(),
  effectiveAt: dateTime,
  changesCoreRights: z.boolean(),
});

export const policyListResponse = z.object({
  current: policyVersionResponse.nullable(),
  versions: z.array(policyVersionResponse),
  mustAccept: z.boolean().optional().describe('Present when signed in'),
});
export type PolicyListResponse = z.output<typeof policyListResponse>;

/**
 * The named response schemas, as the document's components (`#/components/schemas/<name>`).
 * A route's response names one of these, or embeds a schema of this file directly.
 */
export const responseComponents = {
  Error: errorResponse,
  Me: meResponse,
  Generation: generationResponse,
  // Inside Generation too; kept by name for answers that point at it.
  Plan: planSummarySchema,
  Credits: creditsResponse,
  Purchase: purchaseResponse,
  LedgerEntry: ledgerEntryResponse,
  StoredDataItem: storedDataItemResponse,
  RightsRequest: rightsRequestResponse,
  Export: exportResponse,
  Consent: consentResponse,
} satisfies Record<string, z.ZodType>;

/** True only when the two types are the same both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when a service's view and its documented response differ. */
export function sameShape<A, B>(same: Same<A, B>): void {
  void same;
}
sameShape<GenerationView, z.output<typeof generationResponse>>(true);
sameShape<PurchaseView, z.output<typeof purchaseResponse>>(true);
sameShape<RightsRequestView, z.output<typeof rightsRequestResponse>>(true);
sameShape<ExportView, z.output<typeof exportResponse>>(true);
sameShape<StoredDataItem, z.output<typeof storedDataItemResponse>>(true);
sameShape<CreditSummary, Pick<z.output<typeof creditsResponse>, 'balance' | 'reserved'>>(true);
sameShape<ConsentRecord, z.output<typeof consentRecordResponse>>(true);
