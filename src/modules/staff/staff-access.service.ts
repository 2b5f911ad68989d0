import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { Db } from '../../db/database.js';
import type { GenerationStage, GenerationStatus, StaffRole } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { getAccount, type Account } from '../accounts/accounts.service.js';
import {
  appendAuditEntry,
  listAuditEntries,
  verifyAuditChain,
  type AuditEntryRef,
  type AuditEntryView,
} from './audit-log.service.js';
import type { ChainVerification } from './audit-chain.js';
import { requireStaffRole } from './staff-roles.service.js';
import { listGenerationMetadata } from '../generations/generations.repository.js';
import { userExists } from '../accounts/users.repository.js';

/** Who may do what. Anything not listed here is refused (deny by default). */
export const staffPermissions = {
  readAccount: ['support', 'admin'],
  readGenerations: ['support', 'admin'],
  readAuditLog: ['auditor', 'admin'],
  /** The rights-request queue: read, reply, change status (docs/decisions/0021). */
  handleRequests: ['support', 'admin'],
  changeRoles: ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export interface StaffAccess {
  staffUserId: string;
  requestId: string;
}

/**
 * A staff read of personal data: the role check, the read and its audit entry run in one
 * transaction, so the data leaves only if the entry was committed.
 */
export async function readAccountAsStaff(
  deps: { db: Db; masterKey: MasterKey; clock: Clock },
  access: StaffAccess,
  subjectUserId: string,
): Promise<{ account: Account; audit: AuditEntryRef }> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.readAccount);
    const account = await getAccount({ ...deps, db: trx }, subjectUserId);
    if (!account) throw new AppError('not_found', 'no such account');
    const audit = await appendAuditEntry(trx, deps.clock, {
      staffUserId: access.staffUserId,
      staffRole: role,
      action: 'read_account',
      subjectUserId,
      resource: `users/${subjectUserId}`,
      requestId: access.requestId,
    });
    return { account, audit };
  });
}

/** What support may see of a user's generations: state and dates, never inputs or music. */
export interface GenerationMetadata {
  id: string;
  status: GenerationStatus;
  stage: GenerationStage;
  seconds: number;
  errorCode: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  inputExpiresAt: Date;
  outputExpiresAt: Date | null;
}

export async function listGenerationsAsStaff(
  deps: { db: Db; clock: Clock },
  access: StaffAccess,
  subjectUserId: string,
  limit = 100,
): Promise<{ generations: GenerationMetadata[]; audit: AuditEntryRef }> {
  return deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.readGenerations);
    if (!(await userExists(trx, subjectUserId))) throw new AppError('not_found', 'no such account');
    // Metadata only (an explicit column list): text, plan and object names never enter it.
    const rows = await listGenerationMetadata(trx, subjectUserId, limit);
    const audit = await appendAuditEntry(trx, deps.clock, {
      staffUserId: access.staffUserId,
      staffRole: role,
      action: 'read_generations',
      subjectUserId,
      resource: `users/${subjectUserId}/generations`,
      requestId: access.requestId,
    });
    const generations = rows.map((r) => ({
      id: r.id,
      status: r.status,
      stage: r.stage,
      seconds: r.seconds,
      errorCode: r.error_code,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      inputExpiresAt: r.input_expires_at,
      outputExpiresAt: r.output_expires_at,
    }));
    return { generations, audit };
  });
}

/**
 * The log names who looked at whom, so reading it is itself recorded. Verification runs after
 * that entry commits and outside the chain lock, so a long walk never holds up staff reads.
 */
export async function readAuditLogAsStaff(
  deps: { db: Db; clock: Clock },
  access: StaffAccess,
  page: { afterSeq: number; limit: number },
): Promise<{ entries: AuditEntryView[]; verification: ChainVerification; audit: AuditEntryRef }> {
  const audit = await deps.db.transaction().execute(async (trx) => {
    const role = await requireStaffRole(trx, access.staffUserId, staffPermissions.readAuditLog);
    return appendAuditEntry(trx, deps.clock, {
      staffUserId: access.staffUserId,
      staffRole: role,
      action: 'read_audit_log',
      subjectUserId: null,
      resource: 'staff_audit_log',
      requestId: access.requestId,
    });
  });
  const entries = await listAuditEntries(deps.db, page);
  const verification = await verifyAuditChain(deps.db);
  return { entries, verification, audit };
}
