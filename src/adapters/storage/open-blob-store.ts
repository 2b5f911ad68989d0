import type { StorageConfig } from '../../config/config.js';
import type { BlobStore } from './blob-store.js';
import { residencyProblem } from './data-residency.js';
import { FileBlobStore } from './file-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** S3-compatible storage when configured (several hosts share it); else files in DATA_DIR. */
export function openBlobStore(storage: StorageConfig): BlobStore & { close?(): void } {
  if (storage.kind === 'file') return new FileBlobStore(storage.dir);
  // Configuration refuses this already; checked again here because a StorageConfig built any
  // other way must not open a bucket abroad either (docs/decisions/0023).
  if (storage.residency.enforced) {
    const problem = residencyProblem(storage.region, storage.residency.required);
    if (problem) throw new Error(`object storage refused: ${problem}`);
  }
  return new S3BlobStore({
    bucket: storage.bucket,
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: storage.forcePathStyle,
    credentials: storage.credentials,
  });
}
