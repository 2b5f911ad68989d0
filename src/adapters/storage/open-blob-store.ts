import type { StorageConfig } from '../../config/config.js';
import type { BlobStore } from './blob-store.js';
import { FileBlobStore } from './file-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** S3-compatible storage when configured (several hosts share it); else files in DATA_DIR. */
export function openBlobStore(storage: StorageConfig): BlobStore & { close?(): void } {
  if (storage.kind === 'file') return new FileBlobStore(storage.dir);
  return new S3BlobStore({
    bucket: storage.bucket,
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: storage.forcePathStyle,
    credentials: storage.credentials,
  });
}
