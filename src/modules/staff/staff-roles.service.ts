import type { Db, DbTransaction } from '../../db/database.js';
import type { StaffRole } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { appendAuditEntry, type AuditEntryRef } from './audit-log.service.js';
import { userExists } from '../accounts/users.repository.js';

export const staffRoles: readonly StaffRole[] = ['support', 'admin', 'auditor'];

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

/**
 * Deny by default: answers with the role that allows the action, or throws `forbidden`. When the
 * user holds several of the allowed roles, the first in `allowedRoles` is the one recorded.
 */
export async function requireStaffRole(
  db: Db | DbTransaction,
  userId: string,
  allowedRoles: readonly StaffRole[],
): Promise<StaffRole> {
  if (allowedRoles.length === 0) throw AppError.because('staff_only', 'this needs a staff role');
  const rows = await db
    .selectFrom('staff_roles')
    .select('role')
    .where('user_id', '=', userId)
    .where('role', 'in', allowedRoles)
    .execute();
  const held = new Set(rows.map((r) => r.role));
  const role = allowedRoles.find((r) => held.has(r));
  if (!role) throw AppError.because('staff_only', 'this needs a staff role');
  return role;
}

export async function listStaffRoles(db: Db | DbTransaction, userId: string): Promise<StaffRole[]> {
  const rows = await db
    .selectFrom('staff_roles')
    .select('role')
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

/** Who changes a role: an admin through the API, or the operator at the console (bootstrap). */
export type RoleChanger = { kind: 'staff'; userId: string } | { kind: 'cli' };

export interface RoleChange {
  by: RoleChanger;
  userId: string;
  role: StaffRole;
  requestId: string;
}

export interface RoleChangeResult {
  /** False when the user already had (grant) or already lacked (revoke) the role. */
  changed: boolean;
  audit: AuditEntryRef;
}

export async function grantRole(
  deps: { db: Db; clock: Clock },
  change: RoleChange,
): Promise<RoleChangeResult> {
  return changeRole(deps, change, 'grant_role');
}

export async function revokeRole(
  deps: { db: Db; clock: Clock },
  change: RoleChange,
): Promise<RoleChangeResult> {
  return changeRole(deps, change, 'revoke_role');
}

async function changeRole(
  deps: { db: Db; clock: Clock },
  change: RoleChange,
  action: 'grant_role' | 'revoke_role',
): Promise<RoleChangeResult> {
  return deps.db.transaction().execute(async (trx) => {
    // Checked inside the transaction that makes the change, so the check and its record agree.
    const actorRole =
      change.by.kind === 'cli' ? 'cli' : await requireStaffRole(trx, change.by.userId, ['admin']);
    if (!(await userExists(trx, change.userId))) throw new AppError('not_found', 'no such account');
    const grantedBy = change.by.kind === 'cli' ? 'cli' : change.by.userId;
    let changed: boolean;
    if (action === 'grant_role') {
      const inserted = await trx
        .insertInto('staff_roles')
        .values({
          user_id: change.userId,
          role: change.role,
          granted_at: deps.clock.now(),
          granted_by: grantedBy,
        })
        .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
        .returning('role')
        .executeTakeFirst();
      changed = inserted !== undefined;
    } else {
      const deleted = await trx
        .deleteFrom('staff_roles')
        .where('user_id', '=', change.userId)
        .where('role', '=', change.role)
        .executeTakeFirst();
      changed = deleted.numDeletedRows > 0n;
    }
    const audit = await appendAuditEntry(trx, deps.clock, {
      staffUserId: grantedBy,
      staffRole: actorRole,
      action,
      subjectUserId: change.userId,
      resource: `staff_roles/${change.role}`,
      requestId: change.requestId,
    });
    return { changed, audit };
  });
}
