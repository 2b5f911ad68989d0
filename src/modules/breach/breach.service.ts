import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { Mailer } from '../../adapters/mail/mailer.js';
import type { JobQueue } from '../../adapters/queue/job-queue.js';
import { transactionExecutor, type Db, type DbTransaction } from '../../db/database.js';
import {
  sendBreachNoticeJobName,
  sendBreachNoticePayload,
} from '../../jobs/payloads/send-breach-notice.payload.js';
import type { Clock } from '../../lib/clock.js';
import { getMailAddress } from '../accounts/accounts.service.js';
import { appendAuditEntry, type AuditEntryRef } from '../staff/audit-log.service.js';
import type { StaffAccess } from '../staff/staff-access.service.js';
import { requireStaffRole } from '../staff/staff-roles.service.js';
import {
  composeBreachUserNotice,
  composeRegulatorReport,
  type BreachIncident,
} from './breach-notices.js';
import { findUsersWithRowsIn, type BreachTable } from './breach.repository.js';

/** Only admins assess a breach and notify: it reads who holds data across every table. */
const breachRoles = ['admin'] as const;

/** Which policy category each table's rows belong to. */
export const breachTableCategories: Record<BreachTable, string> = {
  users: 'identity',
  sessions: 'sign_ins',
  generations: 'generations',
  credit_ledger: 'credits',
  credit_purchases: 'credits',
  consent_log: 'consent',
  policy_acceptances: 'consent',
  rights_requests: 'requests',
  data_exports: 'exports',
};
export const breachTables = Object.keys(breachTableCategories) as BreachTable[];

export interface BreachScope {
  /** The window in which the data was exposed: a row counts if it existed during it. */
  from: Date;
  to: Date;
  /** The tables exposed; all of them when not given. */
  tables?: readonly BreachTable[] | undefined;
}

export interface AffectedUser {
  userId: string;
  categories: string[];
}

export interface BreachAssessment {
  users: AffectedUser[];
  categories: Record<string, number>;
  regulatorReport: { en: string; zh: string };
  audit: AuditEntryRef;
}

async function findAffected(trx: DbTransaction, scope: BreachScope): Promise<AffectedUser[]> {
  const byUser = new Map<string, Set<string>>();
  for (const table of scope.tables ?? breachTables) {
    for (const userId of await findUsersWithRowsIn(trx, table, scope)) {
      const set = byUser.get(userId) ?? new Set<string>();
      set.add(breachTableCategories[table]);
      byUser.set(userId, set);
    }
  }
  return [...byUser.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([userId, set]) => ({ userId, categories: [...set].sort() }));
}

function countCategories(users: readonly AffectedUser[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const u of users) for (const c of u.categories) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

/** Who and what a breach touched, with the regulator report drafted; audited, admin only. */
export async function assessBreach(
  deps: { db: Db; clock: Clock },
  access: StaffAccess,
  incident: BreachIncident,
  scope: BreachScope,
): Promise<BreachAssessment> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, breachRoles);
    const users = await findAffected(trx, scope);
    const categories = countCategories(users);
    const audit = await appendAuditEntry(trx, deps.clock, {
      staffUserId: access.staffUserId,
      staffRole: role,
      action: 'assess_breach',
      subjectUserId: null,
      resource: `breaches/${incident.ref}`,
      requestId: access.requestId,
    });
    return {
      users,
      categories,
      regulatorReport: composeRegulatorReport(incident, scope, {
        users: users.length,
        categories,
      }),
      audit,
    };
  });
}

/**
 * Queues one notice per affected user, each with its audit entry, in one transaction: a notice
 * is sent only if its entry was committed. The mail goes out from the worker (the mail path).
 */
export async function notifyBreach(
  deps: { db: Db; clock: Clock; queue: JobQueue },
  access: StaffAccess,
  incident: BreachIncident,
  scope: BreachScope,
): Promise<{ queued: number; audit: AuditEntryRef | null }> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, breachRoles);
    const users = await findAffected(trx, scope);
    let audit: AuditEntryRef | null = null;
    for (const user of users) {
      await deps.queue.enqueue(
        { name: sendBreachNoticeJobName, payload: sendBreachNoticePayload },
        {
          userId: user.userId,
          incidentRef: incident.ref,
          summaryEn: incident.summaryEn,
          summaryZh: incident.summaryZh,
          categories: user.categories,
        },
        { executor: transactionExecutor(trx), singletonKey: `${incident.ref}:${user.userId}` },
      );
      audit = await appendAuditEntry(trx, deps.clock, {
        staffUserId: access.staffUserId,
        staffRole: role,
        action: 'notify_breach',
        subjectUserId: user.userId,
        resource: `breaches/${incident.ref}`,
        requestId: access.requestId,
      });
    }
    return { queued: users.length, audit };
  });
}

export interface SendBreachNoticeDeps {
  db: Db;
  masterKey: MasterKey;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
}

/** The job's work: the address is decrypted only here, for the one message, and never logged. */
export async function sendBreachNotice(
  deps: SendBreachNoticeDeps,
  notice: { userId: string; categories: string[] } & BreachIncident,
): Promise<'sent' | 'skipped'> {
  // A cancelled account's key is gone, and with it everything the breach could have exposed.
  const email = await getMailAddress(deps, notice.userId);
  if (!email) return 'skipped';
  await deps.mailer.send({
    to: email,
    ...composeBreachUserNotice(notice, notice.categories, deps.publicUrl),
  });
  return 'sent';
}
