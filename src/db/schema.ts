import type { ColumnType, Generated } from 'kysely';

/** Timestamps are written from the injected clock, never from the database's now(). */
type Timestamp = ColumnType<Date, Date, Date>;

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

export interface GenerationsTable {
  id: string;
  user_id: string;
  status: GenerationStatus;
  stage: GenerationStage;
  seed: number;
  seconds: number;
  idempotency_key: string | null;
  input_object: string | null;
  input_mime: string | null;
  text_enc: Uint8Array | null;
  output_object: string | null;
  output_bytes: number | null;
  plan_enc: Uint8Array | null;
  error_code: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  input_expires_at: Timestamp;
  output_expires_at: Timestamp | null;
}

export interface DB {
  users: UsersTable;
  user_keys: UserKeysTable;
  sessions: SessionsTable;
  oidc_logins: OidcLoginsTable;
  generations: GenerationsTable;
}
