import type { ColumnType, Generated } from 'kysely';
import type { RightsRequestKind } from '../lib/rights-request-kinds.js';

/** Timestamps are written from the injected clock, never from the database's now(). */
type Timestamp = ColumnType<Date, Date, Date>;
/** A nullable column added later: inserts may leave it out (the database default, null). */
type OptionalTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface UsersTable {
  id: string;
  oidc_issuer: string;
  oidc_subject: string;
  /** Personal fields are encrypted with the user's data key (see adapters/crypto). */
  email_enc: Uint8Array | null;
  name_enc: Uint8Array | null;
  avatar_url_enc: Uint8Array | null;
  created_at: Timestamp;
  last_login_at: Timestamp;
  /** When the user corrected their name (migration 0012); their name then wins at sign-in. */
  name_edited_at: OptionalTimestamp;
}

export interface UserKeysTable {
  user_id: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface OidcLoginsTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export type GenerationStatus = 'queued' | 'running' | 'done' | 'failed';
export type GenerationStage =
  'queued' | 'analysing' | 'composing' | 'rendering' | 'encoding' | 'storing' | 'done' | 'failed';

/** A variation (new seed), one of two versions made at once, or the same piece made longer. */
export type GenerationDerivation = 'variation' | 'version' | 'extension';

export interface GenerationsTable {
  id: string;
  user_id: string;
  status: GenerationStatus;
  stage: GenerationStage;
  /** bigint since migration 0011 (0..2^32−1); int8 is read as a number. */
  seed: number;
  seconds: number;
  idempotency_key: string | null;
  input_object: string | null;
  input_mime: string | null;
  text_enc: Uint8Array | null;
  output_object: string | null;
  output_bytes: number | null;
  /** Explicit create-page choices (see generation-controls.ts), JSON. */
  controls: ColumnType<unknown, string | null, string | null> | null;
  parent_id: ColumnType<string | null, string | null | undefined, string | null>;
  recipe_enc: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  /** The generate-music job running this generation now (see migration 0009). */
  run_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  plan_enc: Uint8Array | null;
  /** The owner's own title, sealed (migration 0015); null: named from the plan. */
  title_enc: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  /** How a piece with a parent was made from it (migration 0015); null for older variations. */
  derivation: ColumnType<
    GenerationDerivation | null,
    GenerationDerivation | null | undefined,
    GenerationDerivation | null
  >;
  error_code: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  input_expires_at: Timestamp;
  output_expires_at: Timestamp | null;
}

export interface CreditAccountsTable {
  user_id: string;
  created_at: Timestamp;
}

export type CreditEntryKind =
  'grant' | 'reservation' | 'capture' | 'release' | 'refund' | 'adjustment';

/** Append-only: a database trigger refuses UPDATE. */
export interface CreditLedgerTable {
  id: string;
  user_id: string;
  seq: number;
  kind: CreditEntryKind;
  /** Signed change to the spendable balance. */
  amount: number;
  balance_after: number;
  entry_key: string;
  /** A fixed code (free_allowance, generation, purchase, refund, staff_adjustment); never free text. */
  reason: string;
  /** A staff adjustment's note, sealed with the user's key (migration 0013). */
  note_enc: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  generation_id: string | null;
  purchase_id: string | null;
  shortfall: Generated<number>;
  created_at: Timestamp;
}

export type PurchaseStatus = 'pending' | 'paid' | 'partially_refunded' | 'refunded' | 'expired';

export interface CreditPurchasesTable {
  id: string;
  user_id: string | null;
  provider: 'stripe' | 'local';
  pack_id: string;
  credits: number;
  amount_cents: number;
  currency: string;
  status: PurchaseStatus;
  checkout_session_id: string | null;
  payment_intent_id: string | null;
  payment_status: string | null;
  refunded_cents: Generated<number>;
  credits_refunded: Generated<number>;
  created_at: Timestamp;
  paid_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface PaymentEventsTable {
  event_id: string;
  type: string;
  outcome: string;
  received_at: Timestamp;
}

export type { RightsRequestKind };
export type RightsRequestStatus = 'open' | 'in_progress' | 'done' | 'rejected';

export interface RightsRequestsTable {
  id: string;
  /**
   * Null once the account is cancelled (the ticket stays as a record, unlinked; migration 0013),
   * and for a ticket from the contact form (contact_messages.request_id points here; 0014).
   */
  user_id: string | null;
  kind: RightsRequestKind;
  status: RightsRequestStatus;
  message_enc: Uint8Array | null;
  created_at: Timestamp;
  due_at: Timestamp;
  due_date: string;
  closed_at: Timestamp | null;
  /** The language it was filed in; replies are mailed in it (migration 0012). */
  language: ColumnType<'en' | 'zh', 'en' | 'zh' | undefined, 'en' | 'zh'>;
  near_due_alerted_at: OptionalTimestamp;
  overdue_alerted_at: OptionalTimestamp;
}

/** A staff answer to a rights request, sealed with the requester's key (migration 0012). */
export interface RightsRequestRepliesTable {
  id: string;
  request_id: string;
  staff_user_id: string;
  message_enc: Uint8Array;
  created_at: Timestamp;
}

export type ContactKind = 'question' | 'complaint' | 'rights_request';

/** The contact form, encrypted under the row's own key (keyring.contact_keys; migration 0014). */
export interface ContactMessagesTable {
  id: string;
  kind: ContactKind;
  status: 'pending' | 'verified';
  lang: 'en' | 'zh';
  email_enc: Uint8Array;
  name_enc: Uint8Array | null;
  message_enc: Uint8Array;
  token_enc: Uint8Array | null;
  token_hash: string;
  email_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  verified_at: Timestamp | null;
  request_id: string | null;
}

export interface ContactKeysTable {
  contact_id: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
  created_at: Timestamp;
}

export interface DataExportsTable {
  id: string;
  user_id: string;
  request_id: string;
  status: 'pending' | 'ready' | 'failed' | 'expired';
  object_key: string | null;
  bytes: number | null;
  created_at: Timestamp;
  ready_at: Timestamp | null;
  expires_at: Timestamp | null;
}

export type StaffRole = 'support' | 'admin' | 'auditor';

export interface StaffRolesTable {
  user_id: string;
  role: StaffRole;
  granted_at: Timestamp;
  /** A staff user id, or 'cli' for the operator who bootstraps the first admin. */
  granted_by: string;
}

/** Append-only and hash-chained (docs/decisions/0005-audit-log.md). Ids only. */
export interface StaffAuditLogTable {
  seq: number;
  at: Timestamp;
  /** A staff user id, or 'cli'. */
  staff_user_id: string;
  staff_role: StaffRole | 'cli';
  action: string;
  subject_user_id: string | null;
  resource: string;
  request_id: string;
  prev_hash: string;
  hash: string;
}

/** Where the pruned front of the audit chain ended: verification starts after it (migration 0013). */
export interface StaffAuditCheckpointsTable {
  seq: number;
  hash: string;
  created_at: Timestamp;
}

export type ConsentPurpose = 'preferences' | 'analytics';
export type ConsentDecision = 'granted' | 'denied';

/** Cookie choices: the user id when signed in, else a random anonymous consent id; never an IP. */
export interface ConsentLogTable {
  id: string;
  user_id: string | null;
  anonymous_id: string | null;
  purpose: ConsentPurpose;
  decision: ConsentDecision;
  policy_version: string;
  decided_at: Timestamp;
}

export interface PolicyAcceptancesTable {
  user_id: string;
  version: string;
  accepted_at: Timestamp;
}

export type PolicyNoticeStatus = 'pending' | 'sending' | 'sent' | 'skipped';

/** One individual notice per (user, version) of a policy change that affects core rights. */
export interface PolicyNoticesTable {
  user_id: string;
  version: string;
  status: PolicyNoticeStatus;
  created_at: Timestamp;
  claimed_at: Timestamp | null;
  sent_at: Timestamp | null;
}

/** Shared request counters for the sign-in and upload limits (docs/deployment.md). */
export interface RateLimitCountersTable {
  key_hash: string;
  hits: number;
  window_ends_at: Timestamp;
}

/** A job taken from the queue by a worker, until it is completed or failed (migration 0009). */
export interface JobClaimsTable {
  job_id: string;
  queue: string;
  worker_lease: string;
  claimed_at: Timestamp;
}

/** Where a batched walk of the blob store stopped (migration 0010). */
export interface SweepCursorsTable {
  name: string;
  after_key: string | null;
  updated_at: Timestamp;
}

export interface DB {
  job_claims: JobClaimsTable;
  sweep_cursors: SweepCursorsTable;
  rights_requests: RightsRequestsTable;
  contact_messages: ContactMessagesTable;
  'keyring.contact_keys': ContactKeysTable;
  rights_request_replies: RightsRequestRepliesTable;
  data_exports: DataExportsTable;
  users: UsersTable;
  'keyring.user_keys': UserKeysTable;
  sessions: SessionsTable;
  oidc_logins: OidcLoginsTable;
  generations: GenerationsTable;
  credit_accounts: CreditAccountsTable;
  credit_ledger: CreditLedgerTable;
  credit_purchases: CreditPurchasesTable;
  payment_events: PaymentEventsTable;
  staff_roles: StaffRolesTable;
  staff_audit_log: StaffAuditLogTable;
  staff_audit_checkpoints: StaffAuditCheckpointsTable;
  consent_log: ConsentLogTable;
  policy_acceptances: PolicyAcceptancesTable;
  policy_notices: PolicyNoticesTable;
  rate_limit_counters: RateLimitCountersTable;
}
