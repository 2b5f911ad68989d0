import type { Config } from '../config/config.js';
import type { MasterKey } from '../adapters/crypto/envelope.js';
import type { OidcClient } from '../adapters/oidc/oidc-client.js';
import type { JobQueue } from '../adapters/queue/job-queue.js';
import type { ObjectVault } from '../adapters/storage/object-vault.js';
import type { Db } from '../db/database.js';
import type { Notifications } from '../db/notifications.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { PolicyVersion } from '../modules/policies/policy-versions.js';

/** What the web role needs, built by the entrypoint and passed in explicitly. */
export interface HttpDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Db;
  /** Database notifications: event streams push stage changes as they commit. */
  notifications: Notifications;
  masterKey: MasterKey;
  vault: ObjectVault;
  queue: JobQueue;
  oidc: OidcClient;
  /** Tests publish their own privacy policy versions; otherwise the catalogue in code. */
  policyVersions?: readonly PolicyVersion[] | undefined;
}
