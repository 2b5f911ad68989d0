import { buildDataExport, type DataExportDeps } from '../modules/privacy/data-export.service.js';
import { exportAccountJobName, exportAccountPayload } from './payloads/export-account.payload.js';
import { defineJob } from '../adapters/queue/job-definition.js';

/** Builds one account's data export ZIP (encrypted with the user's key, link valid 24 h). */
export function createExportAccountJob(deps: Omit<DataExportDeps, 'queue'>) {
  return defineJob({
    name: exportAccountJobName,
    payload: exportAccountPayload,
    retry: { limit: 3, delaySeconds: 30, backoff: true },
    expireInSeconds: 15 * 60,
    handle: async (payload, attempt) => {
      await buildDataExport(deps, payload.exportId);
      attempt.log.info({ exportId: payload.exportId }, 'export built');
    },
  });
}
