import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { Mailer } from '../../adapters/mail/mailer.js';
import type { JobQueue } from '../../adapters/queue/job-queue.js';
import { transactionExecutor } from '../../db/database.js';
import {
  sendPolicyNoticeJobName,
  sendPolicyNoticePayload,
} from '../../jobs/payloads/send-policy-notice.payload.js';
import { getMailAddress } from '../accounts/accounts.service.js';
import { policyCatalogue, versionsCovering, type PolicyDeps } from './policy-acceptance.service.js';
import type { PolicyVersion } from './policy-versions.js';
import { findUsersDueNotice } from '../accounts/users.repository.js';

/** A claimed notice whose job died mid-send is handed out again after this long. */
const CLAIM_TIMEOUT_MS = 15 * 60 * 1000;

export interface QueueNoticesDeps extends PolicyDeps {
  queue: JobQueue;
}

/**
 * For every published version that changes core rights: finds the users it affects (accounts
 * created before it takes effect, with an email, that have neither accepted it nor been sent a
 * notice), in bounded batches, and in one transaction per batch records a pending notice and
 * enqueues one job per user. The (user, version) key makes a second run find nothing.
 */
export async function queuePolicyNotices(
  deps: QueueNoticesDeps,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  let batches = options.maxBatches ?? 10;
  const versions = policyCatalogue(deps);
  let queued = 0;
  for (const version of versions.filter((v) => v.changesCoreRights)) {
    while (batches > 0) {
      batches -= 1;
      const count = await queueBatch(deps, versions, version, batchSize);
      queued += count;
      if (count < batchSize) break;
    }
  }
  queued += await requeueStaleNotices(deps, batchSize);
  return queued;
}

async function queueBatch(
  deps: QueueNoticesDeps,
  versions: readonly PolicyVersion[],
  version: PolicyVersion,
  batchSize: number,
): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const users = await findUsersDueNotice(trx, {
      createdBefore: version.effectiveAt,
      acceptedVersions: versionsCovering(versions, version),
      version: version.version,
      limit: batchSize,
    });
    if (users.length === 0) return 0;
    const inserted = await trx
      .insertInto('policy_notices')
      .values(
        users.map((u) => ({
          user_id: u.id,
          version: version.version,
          status: 'pending' as const,
          created_at: now,
          claimed_at: null,
          sent_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['user_id', 'version']).doNothing())
      .returning('user_id')
      .execute();
    const executor = transactionExecutor(trx);
    for (const row of inserted) {
      await deps.queue.enqueue(
        { name: sendPolicyNoticeJobName, payload: sendPolicyNoticePayload },
        { userId: row.user_id, version: version.version },
        { executor, singletonKey: `${row.user_id}:${version.version}` },
      );
    }
    return users.length;
  });
}

/** Notices whose job was lost (crash, expiry) get a new job; the claim keeps this safe. */
async function requeueStaleNotices(deps: QueueNoticesDeps, batchSize: number): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - CLAIM_TIMEOUT_MS);
  const stale = await deps.db
    .selectFrom('policy_notices')
    .select(['user_id', 'version'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('created_at', '<', cutoff)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', cutoff)]),
      ]),
    )
    .limit(batchSize)
    .execute();
  for (const row of stale) {
    await deps.queue.enqueue(
      { name: sendPolicyNoticeJobName, payload: sendPolicyNoticePayload },
      { userId: row.user_id, version: row.version },
      { singletonKey: `${row.user_id}:${row.version}` },
    );
  }
  return stale.length;
}

export interface SendNoticeDeps extends PolicyDeps {
  masterKey: MasterKey;
  mailer: Mailer;
  publicUrl: string;
}

export type NoticeOutcome = 'sent' | 'skipped' | 'already-handled';

/**
 * The job's work for one user. It claims the notice row first, so a duplicate delivery finds
 * nothing to do; the address is decrypted only here, used for the one message, and never logged.
 */
export async function sendPolicyNotice(
  deps: SendNoticeDeps,
  userId: string,
  versionId: string,
): Promise<NoticeOutcome> {
  const now = deps.clock.now();
  const claimed = await deps.db
    .updateTable('policy_notices')
    .set({ status: 'sending', claimed_at: now })
    .where('user_id', '=', userId)
    .where('version', '=', versionId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([
          eb('status', '=', 'sending'),
          eb('claimed_at', '<', new Date(now.getTime() - CLAIM_TIMEOUT_MS)),
        ]),
      ]),
    )
    .returning('user_id')
    .executeTakeFirst();
  if (!claimed) return 'already-handled';

  const version = policyCatalogue(deps).find((v) => v.version === versionId);
  // A cancelled account's key is gone: there is no one left to tell.
  const email = version ? await getMailAddress(deps, userId) : null;
  if (!version || !email) {
    await finish(deps, userId, versionId, 'skipped');
    return 'skipped';
  }
  try {
    await deps.mailer.send({ to: email, ...composeNotice(version, deps.publicUrl) });
  } catch (error) {
    // Hand the notice back so the job's retry can claim it again.
    await deps.db
      .updateTable('policy_notices')
      .set({ status: 'pending', claimed_at: null })
      .where('user_id', '=', userId)
      .where('version', '=', versionId)
      .where('status', '=', 'sending')
      .execute();
    throw error;
  }
  await finish(deps, userId, versionId, 'sent');
  return 'sent';
}

async function finish(
  deps: SendNoticeDeps,
  userId: string,
  versionId: string,
  status: 'sent' | 'skipped',
): Promise<void> {
  await deps.db
    .updateTable('policy_notices')
    .set({ status, sent_at: status === 'sent' ? deps.clock.now() : null })
    .where('user_id', '=', userId)
    .where('version', '=', versionId)
    .execute();
}

/** Bilingual, and free of personal data beyond the address it is sent to. */
export function composeNotice(
  version: PolicyVersion,
  publicUrl: string,
): { subject: string; text: string } {
  const date = version.effectiveAt.toISOString().slice(0, 10);
  const link = `${publicUrl}/privacy`;
  const en = [
    `Our privacy policy changes on ${date} (version ${version.version}), and the change affects your rights.`,
    version.changes ? `What changes: ${version.changes.en}` : '',
    `Read the new policy: ${link}`,
    `The next time you sign in, we will ask you to accept it before you create new music. Your rights, including cancelling your account, stay available in your account center.`,
  ];
  const zh = [
    `我们的隐私政策将于 ${date} 更新（版本 ${version.version}），此次变更涉及您的权利。`,
    version.changes ? `变更内容：${version.changes.zh}` : '',
    `阅读新政策：${link}?lang=zh`,
    `您下次登录时，我们会请您先接受新政策，然后才能创作新的音乐。您的各项权利（包括注销账户）仍可在账户中心行使。`,
  ];
  return {
    subject: `Instune privacy policy ${version.version} / 隐私政策更新`,
    text: [en.filter(Boolean).join('\n\n'), '—', zh.filter(Boolean).join('\n\n')].join('\n\n'),
  };
}
