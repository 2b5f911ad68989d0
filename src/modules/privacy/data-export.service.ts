import { strToU8, zipSync, type Zippable } from 'fflate';
import type { MasterKey } from '../../adapters/crypto/envelope.js';
import type { JobQueue } from '../../adapters/queue/job-queue.js';
import type { ObjectVault, VaultFile } from '../../adapters/storage/object-vault.js';
import { transactionExecutor, type Db } from '../../db/database.js';
import {
  exportAccountJobName,
  exportAccountPayload,
} from '../../jobs/payloads/export-account.payload.js';
import { HOUR_MS, type Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { getAccount } from '../accounts/accounts.service.js';
import {
  audioFormatInfo,
  audioFormats,
  outputKey,
  type AudioFormat,
} from '../generations/output-files.js';
import {
  listUserGenerations,
  openDescription,
  openTitle,
  openPlanJson,
} from '../generations/generations.repository.js';
import { listUserSessions } from '../accounts/sessions.service.js';
import { getCreditSummary, listCreditEntries, openCreditNote } from '../credits/credits.service.js';
import { listPurchases } from '../payments/payments.service.js';
import { listConsentRecords } from '../policies/consent.service.js';
import { listPolicyAcceptances } from '../policies/policy-acceptance.service.js';
import { exportManifest, exportReadme, jsonFile } from './data-export-contents.js';
import { requireUserKey } from '../accounts/user-keys.js';
import type { BusinessCalendar } from './business-days.js';
import { dataInventory } from './data-inventory.js';
import {
  closeRightsRequest,
  fileRightsRequest,
  listRightsRequests,
} from './rights-requests.service.js';
import { lockUser } from '../accounts/users.repository.js';

/** The download link of an export lives this long; then the ZIP is deleted. */
export const EXPORT_RETENTION_HOURS = 24;

/** Far above what one account accrues; the lists elsewhere page at 100–200 rows. */
const EXPORT_ROW_LIMIT = 100_000;

export interface DataExportDeps {
  db: Db;
  vault: ObjectVault;
  masterKey: MasterKey;
  clock: Clock;
  calendar: BusinessCalendar;
  queue: JobQueue;
}

export interface ExportView {
  id: string;
  status: 'pending' | 'ready' | 'failed' | 'expired';
  createdAt: string;
  readyAt: string | null;
  expiresAt: string | null;
  bytes: number | null;
}

/** Starts an export (a ticket plus a job); a second click while one is pending returns it. */
export async function requestDataExport(deps: DataExportDeps, userId: string): Promise<ExportView> {
  return deps.db.transaction().execute(async (trx) => {
    // Locking the user's row serialises two clicks; a lock on the (absent) pending row would not.
    await lockUser(trx, userId);
    const pending = await trx
      .selectFrom('data_exports')
      .selectAll()
      .where('user_id', '=', userId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending) return toView(pending);
    const ticket = await fileRightsRequest(
      deps,
      userId,
      { kind: 'export', status: 'in_progress' },
      trx,
    );
    const row = await trx
      .insertInto('data_exports')
      .values({
        id: newId(),
        user_id: userId,
        request_id: ticket.id,
        status: 'pending',
        object_key: null,
        bytes: null,
        created_at: deps.clock.now(),
        ready_at: null,
        expires_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await deps.queue.enqueue(
      { name: exportAccountJobName, payload: exportAccountPayload },
      { exportId: row.id },
      { executor: transactionExecutor(trx) },
    );
    return toView(row);
  });
}

/** The job's work: a ZIP of JSON files plus the music still within retention. Idempotent. */
export async function buildDataExport(
  deps: Omit<DataExportDeps, 'queue'>,
  exportId: string,
): Promise<void> {
  const row = await deps.db
    .selectFrom('data_exports')
    .selectAll()
    .where('id', '=', exportId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending') return;
  const userId = row.user_id;
  const account = await getAccount(deps, userId);
  if (!account) return;
  const key = await requireUserKey(deps.db, deps.masterKey, userId);
  const now = deps.clock.now();

  const generations = await listUserGenerations(deps.db, userId);
  const music: Zippable = {};
  const generationRecords = [];
  for (const g of generations) {
    const stillKept =
      g.output_object !== null && g.output_expires_at !== null && g.output_expires_at > now;
    const musicFiles: Partial<Record<AudioFormat, string>> = {};
    for (const format of audioFormats) {
      const bytes =
        stillKept && g.output_object
          ? await deps.vault.get(key, outputKey(g.output_object, format))
          : null;
      if (!bytes) continue;
      const name = `music/${g.id}.${audioFormatInfo[format].extension}`;
      music[name] = new Uint8Array(bytes);
      musicFiles[format] = name;
    }
    generationRecords.push({
      id: g.id,
      status: g.status,
      createdAt: g.created_at.toISOString(),
      finishedAt: g.finished_at?.toISOString() ?? null,
      musicDeletedAt: g.output_expires_at?.toISOString() ?? null,
      settings: {
        seconds: g.seconds,
        seed: g.seed,
        controls: g.controls ?? null,
        variationOf: g.parent_id,
        derivation: g.derivation,
        title: g.title_enc ? openTitle(key, { id: g.id, title_enc: g.title_enc }) : null,
        description: g.text_enc ? openDescription(key, { id: g.id, text_enc: g.text_enc }) : null,
      },
      plan: g.plan_enc
        ? (JSON.parse(openPlanJson(key, { id: g.id, plan_enc: g.plan_enc })) as unknown)
        : null,
      musicFile: musicFiles.mp3 ?? null,
      musicFiles,
    });
  }
  const credits = await getCreditSummary(deps.db, userId);
  const data: Zippable = {
    'account.json': jsonFile({
      id: account.id,
      email: account.email,
      name: account.name,
      avatarUrl: account.avatarUrl,
      createdAt: account.createdAt.toISOString(),
      lastLoginAt: account.lastLoginAt.toISOString(),
    }),
    'sign-ins.json': jsonFile({
      lastLoginAt: account.lastLoginAt.toISOString(),
      sessions: await listUserSessions(deps.db, userId),
    }),
    'credits.json': jsonFile({
      balance: credits.balance,
      reserved: credits.reserved,
      entries: (await listCreditEntries(deps.db, userId, EXPORT_ROW_LIMIT)).map(
        ({ id: _id, note_enc, ...e }) => ({
          ...e,
          note: openCreditNote(key, { id: _id, note_enc }),
          created_at: e.created_at.toISOString(),
        }),
      ),
      purchases: await listPurchases(deps.db, userId, EXPORT_ROW_LIMIT),
    }),
    'consent.json': jsonFile({
      cookieChoices: await listConsentRecords(deps.db, userId),
      policyAcceptances: await listPolicyAcceptances(deps.db, userId),
    }),
    'generations.json': jsonFile(generationRecords),
    'requests.json': jsonFile(await listRightsRequests({ ...deps }, userId)),
    'stored-data.json': jsonFile(dataInventory),
  };
  const contents: Zippable = {
    'README.txt': strToU8(exportReadme(userId, now)),
    ...data,
    ...music,
  };
  const zip = zipSync(
    { ...contents, 'manifest.json': jsonFile(exportManifest(userId, now, contents)) },
    { level: 6, mtime: now },
  );
  const objectKey = `exports/${userId}/${exportId}`;
  await deps.vault.put(key, objectKey, zip);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('data_exports')
      .set({
        status: 'ready',
        object_key: objectKey,
        bytes: zip.length,
        ready_at: now,
        expires_at: new Date(now.getTime() + EXPORT_RETENTION_HOURS * HOUR_MS),
      })
      .where('id', '=', exportId)
      .where('status', '=', 'pending')
      .execute();
    await closeRightsRequest(trx, deps.clock, row.request_id);
  });
}

export async function getDataExport(
  deps: Pick<DataExportDeps, 'db' | 'clock'>,
  userId: string,
  exportId: string,
): Promise<ExportView> {
  const row = await requireExport(deps, userId, exportId);
  return toView(row, deps.clock.now());
}

/** The export's ZIP, opened to be read in whole or in part. */
export async function openDataExport(
  deps: Pick<DataExportDeps, 'db' | 'vault' | 'masterKey' | 'clock'>,
  userId: string,
  exportId: string,
): Promise<VaultFile> {
  const row = await requireExport(deps, userId, exportId);
  if (row.status === 'pending')
    throw AppError.because('export_not_ready', 'the export is still being prepared');
  const expired = row.expires_at !== null && row.expires_at <= deps.clock.now();
  if (row.status !== 'ready' || !row.object_key || expired) {
    throw AppError.because('export_expired', 'this export link has expired; request a new export');
  }
  const file = await deps.vault.open(
    await requireUserKey(deps.db, deps.masterKey, userId),
    row.object_key,
  );
  if (!file) throw AppError.because('export_expired', 'this export has been deleted');
  return file;
}

/**
 * A cancelled account's ZIPs: files first, then rows. A ZIP is ciphertext under the shredded
 * key, but it holds everything the user had, so it must not outlive the account (a keyring
 * backup restored within its short life would open it). Rows go with the account anyway.
 */
export async function deleteUserExports(
  deps: Pick<DataExportDeps, 'db' | 'vault'>,
  userId: string,
): Promise<number> {
  const rows = await deps.db
    .selectFrom('data_exports')
    .select(['id', 'object_key'])
    .where('user_id', '=', userId)
    .execute();
  for (const row of rows) {
    if (row.object_key) await deps.vault.delete(row.object_key);
  }
  await deps.db.deleteFrom('data_exports').where('user_id', '=', userId).execute();
  return rows.length;
}

/**
 * Export rows whose ZIP is long gone (expired or failed), after the six months usage records
 * are kept; the retention sweep runs it.
 */
export async function deleteOldExportRecords(
  deps: Pick<DataExportDeps, 'db'>,
  before: Date,
): Promise<number> {
  const result = await deps.db
    .deleteFrom('data_exports')
    .where('created_at', '<=', before)
    .where('object_key', 'is', null)
    .where('status', 'in', ['expired', 'failed'])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes ZIPs whose link has expired; run by the retention sweep. */
export async function purgeExpiredExports(
  deps: Pick<DataExportDeps, 'db' | 'vault' | 'clock'>,
  limit = 200,
): Promise<number> {
  const due = await deps.db
    .selectFrom('data_exports')
    .select(['id', 'object_key'])
    .where('status', '=', 'ready')
    .where('expires_at', '<=', deps.clock.now())
    .limit(limit)
    .execute();
  for (const row of due) {
    if (row.object_key) await deps.vault.delete(row.object_key);
    await deps.db
      .updateTable('data_exports')
      .set({ status: 'expired', object_key: null })
      .where('id', '=', row.id)
      .execute();
  }
  return due.length;
}

async function requireExport(deps: Pick<DataExportDeps, 'db'>, userId: string, exportId: string) {
  const row = /^[0-9a-f-]{36}$/i.test(exportId)
    ? await deps.db
        .selectFrom('data_exports')
        .selectAll()
        .where('id', '=', exportId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw AppError.because('export_not_found', 'no such export');
  return row;
}

function toView(
  row: {
    id: string;
    status: ExportView['status'];
    created_at: Date;
    ready_at: Date | null;
    expires_at: Date | null;
    bytes: number | null;
  },
  now?: Date,
): ExportView {
  const expired =
    row.status === 'ready' && now !== undefined && row.expires_at !== null && row.expires_at <= now;
  return {
    id: row.id,
    status: expired ? 'expired' : row.status,
    createdAt: row.created_at.toISOString(),
    readyAt: row.ready_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    bytes: row.bytes,
  };
}
