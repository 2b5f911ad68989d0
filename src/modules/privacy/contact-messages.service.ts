import { createHash, createHmac } from 'node:crypto';
import { newDataKey, type MasterKey } from '../../adapters/crypto/envelope.js';
import type { Mailer, MailMessage } from '../../adapters/mail/mailer.js';
import type { JobQueue } from '../../adapters/queue/job-queue.js';
import { transactionExecutor, type Db, type DbTransaction } from '../../db/database.js';
import { openField, sealField } from '../../db/encrypted-columns.js';
import { insertDataKey, requireDataKey, rewrapKeyring } from '../../db/keyrings.js';
import type { ContactKind, RightsRequestKind } from '../../db/schema.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { AppError, isAppError } from '../../lib/errors.js';
import { newId, newToken } from '../../lib/ids.js';
import {
  sendContactVerificationJobName,
  sendContactVerificationPayload,
} from '../../jobs/payloads/send-contact-verification.payload.js';
import { BusinessCalendar, REQUEST_DUE_BUSINESS_DAYS } from './business-days.js';
import { MAX_MESSAGE_CHARS } from './rights-requests.service.js';

/**
 * The contact form for people without an account (or who prefer not to sign in): a message is
 * stored encrypted under its own key, and only becomes a ticket once the sender opens the link
 * mailed to the address they gave, so nobody can file in someone else's name and a typo'd
 * address receives one mail, not a conversation. Unconfirmed messages expire.
 */

export const contactKinds = ['question', 'complaint', 'rights_request'] as const;
export type { ContactKind };

/** How long a confirmation link works; an unconfirmed message is deleted after this. */
export const CONTACT_CONFIRM_HOURS = 24;
/** Mails one address receives per day from the form, whoever fills it in. */
export const CONTACT_MAILS_PER_ADDRESS_PER_DAY = 3;
export const MAX_NAME_CHARS = 200;

/** A ticket's kind in the shared rights-request model; the precise kind stays on the message. */
const ticketKind: Record<ContactKind, RightsRequestKind> = {
  question: 'other',
  complaint: 'complaint',
  rights_request: 'other',
};

export interface ContactSubmission {
  kind: ContactKind;
  name?: string | undefined;
  email: string;
  message: string;
  lang: 'en' | 'zh';
}

export interface SubmitContactDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  queue: JobQueue;
}

/**
 * Stores the message and queues the confirmation mail. Answers nothing about the outcome: the
 * caller says "check your mail" whether the message was stored or the address had already had
 * its mails for the day, so the form tells nobody anything about an address.
 */
export async function submitContactMessage(
  deps: SubmitContactDeps,
  input: ContactSubmission,
): Promise<void> {
  const email = input.email.trim();
  const message = input.message.trim();
  const name = input.name?.trim() || null;
  if (message === '' || [...message].length > MAX_MESSAGE_CHARS) {
    throw AppError.because(
      'contact_message_length',
      `the message must have 1 to ${MAX_MESSAGE_CHARS} characters`,
      { max: MAX_MESSAGE_CHARS },
    );
  }
  if (name && [...name].length > MAX_NAME_CHARS) {
    throw AppError.because('name_invalid', `the name may be at most ${MAX_NAME_CHARS} characters`, {
      max: MAX_NAME_CHARS,
    });
  }
  const now = deps.clock.now();
  const emailHash = addressHash(deps.masterKey, email);
  const recent = await deps.db
    .selectFrom('contact_messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('email_hash', '=', emailHash)
    .where('created_at', '>', new Date(now.getTime() - 24 * HOUR_MS))
    .executeTakeFirst();
  if (Number(recent?.n ?? 0) >= CONTACT_MAILS_PER_ADDRESS_PER_DAY) return;

  const id = newId();
  const token = newToken();
  const key = newDataKey();
  await deps.db.transaction().execute(async (trx) => {
    await insertDataKey(trx, deps.masterKey, 'contacts', id, key, now);
    await trx
      .insertInto('contact_messages')
      .values({
        id,
        kind: input.kind,
        status: 'pending',
        lang: input.lang,
        email_enc: sealField(key, 'contact_messages', 'email', id, email),
        name_enc: name ? sealField(key, 'contact_messages', 'name', id, name) : null,
        message_enc: sealField(key, 'contact_messages', 'message', id, message),
        token_enc: sealField(key, 'contact_messages', 'token', id, token),
        token_hash: tokenHash(token),
        email_hash: emailHash,
        created_at: now,
        expires_at: new Date(now.getTime() + CONTACT_CONFIRM_HOURS * HOUR_MS),
        verified_at: null,
        request_id: null,
      })
      .execute();
    // In the transaction: the mail is sent only for a message that was stored.
    await deps.queue.enqueue(
      { name: sendContactVerificationJobName, payload: sendContactVerificationPayload },
      { contactId: id },
      { executor: transactionExecutor(trx), singletonKey: id },
    );
  });
}

export interface SendContactVerificationDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
}

/** The job's work: the address and token are opened only here, for the one mail. */
export async function sendContactVerification(
  deps: SendContactVerificationDeps,
  contactId: string,
): Promise<'sent' | 'skipped'> {
  const row = await deps.db
    .selectFrom('contact_messages')
    .select(['id', 'status', 'lang', 'email_enc', 'token_enc', 'expires_at'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending' || !row.token_enc) return 'skipped';
  if (row.expires_at <= deps.clock.now()) return 'skipped';
  const key = await requireDataKey(deps.db, deps.masterKey, 'contacts', row.id);
  const email = openField(key, 'contact_messages', 'email', row.id, row.email_enc);
  const token = openField(key, 'contact_messages', 'token', row.id, row.token_enc);
  const link = `${deps.publicUrl}/contact/verify?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({ to: email, ...composeContactVerification(row.lang, link) });
  return 'sent';
}

/**
 * Bilingual, the sender's language first. It repeats nothing the sender typed: the form is open
 * to anyone, and this mail must not carry a stranger's words to whoever owns the address.
 */
export function composeContactVerification(
  lang: 'en' | 'zh',
  link: string,
): Omit<MailMessage, 'to'> {
  const en = [
    'Someone — we hope you — sent a message to the Instune privacy contact and gave this address for the answer.',
    `To send it to our team, open this link within ${CONTACT_CONFIRM_HOURS} hours:`,
    '',
    link,
    '',
    `We answer within ${REQUEST_DUE_BUSINESS_DAYS} business days of your confirmation. If it was not you, ignore this mail: the message is deleted, unread, after ${CONTACT_CONFIRM_HOURS} hours.`,
  ];
  const zh = [
    '有人（希望是您本人）通过 Instune 隐私联系表单发送了一条消息，并留下此邮箱以便接收答复。',
    `如需将消息发送给我们的团队，请在 ${CONTACT_CONFIRM_HOURS} 小时内打开以下链接：`,
    '',
    link,
    '',
    `我们会在您确认后 ${REQUEST_DUE_BUSINESS_DAYS} 个工作日内答复。如果不是您本人发送，请忽略此邮件：该消息将在 ${CONTACT_CONFIRM_HOURS} 小时后未经阅读即被删除。`,
  ];
  const [first, second] = lang === 'zh' ? [zh, en] : [en, zh];
  return {
    subject:
      lang === 'zh'
        ? '请确认您发给 Instune 的消息 / Confirm your message to Instune'
        : 'Confirm your message to Instune / 请确认您发给 Instune 的消息',
    text: [...first, '', '—', '', ...second, ''].join('\n'),
  };
}

export interface VerifyContactDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  calendar: BusinessCalendar;
}

export interface ContactConfirmation {
  requestId: string;
  kind: ContactKind;
  /** The ticket's due date (China time), 15 business days after confirmation. */
  dueDate: string;
  /** The link had been used before; the same ticket is answered again. */
  alreadyConfirmed: boolean;
}

const INVALID_LINK =
  'this confirmation link is not valid: it may be mistyped, or older than 24 hours (unconfirmed messages are deleted then); please send the form again';

/** Whether a link would confirm something now (the confirmation page asks before it acts). */
export async function checkContactToken(
  deps: Pick<VerifyContactDeps, 'db' | 'clock'>,
  token: string,
): Promise<'pending' | 'confirmed' | 'invalid'> {
  const row = await findByToken(deps.db, token);
  if (!row) return 'invalid';
  if (row.status === 'verified') return 'confirmed';
  return row.expires_at > deps.clock.now() ? 'pending' : 'invalid';
}

/**
 * Turns a confirmed message into a ticket (a rights request with no account) due in 15 business
 * days. A second use of the same link answers with the same ticket; an unknown, mangled or
 * expired link is refused with one message that says which is which no further.
 */
export async function verifyContactMessage(
  deps: VerifyContactDeps,
  token: string,
): Promise<ContactConfirmation> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await findByToken(trx, token, { lock: true });
    const now = deps.clock.now();
    if (!row || (row.status === 'pending' && row.expires_at <= now)) {
      throw AppError.because('contact_link_invalid', INVALID_LINK);
    }
    if (row.status === 'verified' && row.request_id) {
      const ticket = await trx
        .selectFrom('rights_requests')
        .select(['due_date'])
        .where('id', '=', row.request_id)
        .executeTakeFirst();
      if (!ticket) throw AppError.because('contact_link_invalid', INVALID_LINK);
      return {
        requestId: row.request_id,
        kind: row.kind,
        dueDate: ticket.due_date,
        alreadyConfirmed: true,
      };
    }
    const requestId = newId();
    const { due, dueDate } = deps.calendar.dueAfterBusinessDays(now, REQUEST_DUE_BUSINESS_DAYS);
    await trx
      .insertInto('rights_requests')
      .values({
        id: requestId,
        user_id: null,
        kind: ticketKind[row.kind],
        status: 'open',
        // The text stays on the message, under the message's own key (getContactTicket).
        message_enc: null,
        created_at: now,
        due_at: due,
        due_date: dueDate,
        closed_at: null,
        // Staff replies are mailed in the language the sender wrote in.
        language: row.lang,
      })
      .execute();
    await trx
      .updateTable('contact_messages')
      .set({ status: 'verified', verified_at: now, token_enc: null, request_id: requestId })
      .where('id', '=', row.id)
      .execute();
    return { requestId, kind: row.kind, dueDate, alreadyConfirmed: false };
  });
}

export interface ContactTicket {
  requestId: string;
  contactId: string;
  kind: ContactKind;
  lang: 'en' | 'zh';
  name: string | null;
  /** Where the answer goes: the address the sender confirmed. */
  email: string;
  message: string;
  createdAt: string;
  verifiedAt: string;
}

/**
 * What the sender of a confirmed contact message wrote, for the staff queue (the caller audits
 * the access). Null for a ticket that did not come from the contact form.
 */
export async function getContactTicket(
  deps: { db: Db | DbTransaction; masterKey: MasterKey },
  requestId: string,
): Promise<ContactTicket | null> {
  const row = await deps.db
    .selectFrom('contact_messages')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('status', '=', 'verified')
    .executeTakeFirst();
  if (!row?.request_id || !row.verified_at) return null;
  const key = await requireDataKey(deps.db, deps.masterKey, 'contacts', row.id);
  return {
    requestId: row.request_id,
    contactId: row.id,
    kind: row.kind,
    lang: row.lang,
    name: row.name_enc ? openField(key, 'contact_messages', 'name', row.id, row.name_enc) : null,
    email: openField(key, 'contact_messages', 'email', row.id, row.email_enc),
    message: openField(key, 'contact_messages', 'message', row.id, row.message_enc),
    createdAt: row.created_at.toISOString(),
    verifiedAt: row.verified_at.toISOString(),
  };
}

/**
 * The key a contact ticket's message is sealed under, which also seals staff replies to it;
 * null when the ticket did not come from the contact form or its message is gone.
 */
export async function contactKeyOfTicket(
  deps: { db: Db | DbTransaction; masterKey: MasterKey },
  requestId: string,
): Promise<Buffer | null> {
  const row = await deps.db
    .selectFrom('contact_messages')
    .select('id')
    .where('request_id', '=', requestId)
    .where('status', '=', 'verified')
    .executeTakeFirst();
  if (!row) return null;
  try {
    return await requireDataKey(deps.db, deps.masterKey, 'contacts', row.id);
  } catch (error) {
    if (isAppError(error) && error.code === 'gone') return null;
    throw error;
  }
}

/**
 * Retention: unconfirmed messages past their link's life are deleted with their keys, in a
 * bounded batch; so are keys left behind by messages deleted with their ticket.
 */
export async function deleteExpiredContactMessages(
  deps: { db: Db; clock: Clock },
  limit = 200,
): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('contact_messages')
      .select('id')
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .limit(limit)
      .execute();
    const ids = due.map((r) => r.id);
    if (ids.length > 0) {
      await trx.deleteFrom('contact_messages').where('id', 'in', ids).execute();
      await trx.deleteFrom('keyring.contact_keys').where('contact_id', 'in', ids).execute();
    }
    await trx
      .deleteFrom('keyring.contact_keys')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('contact_messages')
              .select('contact_messages.id')
              .whereRef('contact_messages.id', '=', 'keyring.contact_keys.contact_id'),
          ),
        ),
      )
      .execute();
    return ids.length;
  });
}

/** Master-key rotation, as for user keys: re-wraps the message keys; no data is re-encrypted. */
export async function rewrapContactKeys(
  db: Db,
  master: MasterKey,
  batchSize = 500,
): Promise<number> {
  return rewrapKeyring(db, master, 'contacts', batchSize);
}

async function findByToken(db: Db | DbTransaction, token: string, options = { lock: false }) {
  // A token that is not one of ours in shape is refused without a query.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  let query = db
    .selectFrom('contact_messages')
    .select(['id', 'kind', 'status', 'lang', 'expires_at', 'request_id'])
    .where('token_hash', '=', tokenHash(token));
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Tokens have 256 bits of entropy, so an unkeyed hash is enough to make the stored value useless. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Keyed, so the column cannot be matched against a list of addresses without the master key. */
function addressHash(master: MasterKey, email: string): string {
  return createHmac('sha256', master.deriveKey('contact-address'))
    .update(email.trim().toLowerCase())
    .digest('base64url');
}
