import type { Account } from '../modules/accounts/accounts.service.js';
import type { AccountResponse } from './schemas/response.schemas.js';

/** An account as the JSON API shows it (to its owner and to audited staff alike). */
export function accountJson(account: Account): AccountResponse {
  return {
    id: account.id,
    email: account.email,
    name: account.name,
    avatarUrl: account.avatarUrl,
    createdAt: account.createdAt.toISOString(),
  };
}
