import { openText, sealText } from '../adapters/crypto/envelope.js';
import type { DB } from './schema.js';

/**
 * Every encrypted column, by table: the field name that goes into its encryption context, and
 * the column that holds the ciphertext. The context (additional authenticated data) binds a
 * ciphertext to its row and column, so a value copied to another row or column does not open.
 * The strings it produces are stored data's keys: changing a prefix or a field name here makes
 * every existing value unreadable (encrypted-columns.test.ts pins them).
 */
export const encryptedColumns = {
  users: {
    prefix: 'user',
    fields: { email: 'email_enc', name: 'name_enc', avatar: 'avatar_url_enc' },
  },
  generations: {
    prefix: 'generation',
    fields: { text: 'text_enc', recipe: 'recipe_enc', plan: 'plan_enc', title: 'title_enc' },
  },
  rights_requests: { prefix: 'request', fields: { message: 'message_enc' } },
  credit_ledger: { prefix: 'credit', fields: { note: 'note_enc' } },
  contact_messages: {
    prefix: 'contact',
    fields: { email: 'email_enc', name: 'name_enc', message: 'message_enc', token: 'token_enc' },
  },
  rights_request_replies: { prefix: 'request-reply', fields: { message: 'message_enc' } },
} as const satisfies {
  [T in keyof DB]?: { prefix: string; fields: Record<string, keyof DB[T] & string> };
};

export type EncryptedTable = keyof typeof encryptedColumns;
export type EncryptedField<T extends EncryptedTable> =
  keyof (typeof encryptedColumns)[T]['fields'] & string;

/** The encryption context of one field of one row, e.g. `generation:<id>:plan`. */
export function contextFor<T extends EncryptedTable>(
  table: T,
  field: EncryptedField<T>,
  rowId: string,
): string {
  return `${encryptedColumns[table].prefix}:${rowId}:${field}`;
}

/** Encrypts one field of one row with the owner's data key. */
export function sealField<T extends EncryptedTable>(
  key: Uint8Array,
  table: T,
  field: EncryptedField<T>,
  rowId: string,
  text: string,
): Buffer {
  return sealText(key, text, contextFor(table, field, rowId));
}

/** Decrypts one field of one row; a ciphertext from another row or field does not open. */
export function openField<T extends EncryptedTable>(
  key: Uint8Array,
  table: T,
  field: EncryptedField<T>,
  rowId: string,
  sealed: Uint8Array,
): string {
  return openText(key, sealed, contextFor(table, field, rowId));
}

/** The label a contact message's own key is wrapped under (`keyring.contact_keys`). */
export function contactKeyLabel(contactId: string): string {
  return `contact:${contactId}`;
}

/** The label a user's data key is wrapped under by the master key (`keyring.user_keys`). */
export function userKeyLabel(userId: string): string {
  return `user:${userId}`;
}
