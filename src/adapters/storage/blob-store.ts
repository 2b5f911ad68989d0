import type { Readable } from 'node:stream';

/** Where file bytes live. Implementations store opaque (already encrypted) bytes. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Resolves null when the object does not exist (deleted or never written). */
  get(key: string): Promise<Uint8Array | null>;
  /** Bytes start..end (inclusive), fewer when the object is shorter; null when it is missing. */
  getRange(key: string, start: number, end: number): Promise<Buffer | null>;
  /** The same as a stream, for reading large parts without holding them whole. */
  getRangeStream(key: string, start: number, end: number): Promise<Readable | null>;
  delete(key: string): Promise<void>;
  /** When the object was last written; null when it is missing. */
  stat(key: string): Promise<StoredBlob | null>;
  /**
   * Up to `limit` stored keys after `after`, in key order, with when each was last written: the
   * orphan sweep walks the whole store in batches this way.
   */
  list(options: { after?: string | undefined; limit: number }): Promise<StoredBlob[]>;
  /**
   * Removes what interrupted writes and deletions leave that is not a key: partial files of a
   * write that never finished and folders left empty, untouched since `before`. Stores without
   * such leftovers (object storage writes whole objects, and has no folders) leave it out.
   */
  sweepLeftovers?(before: Date): Promise<{ partialFiles: number; emptyFolders: number }>;
}

export interface StoredBlob {
  key: string;
  modifiedAt: Date;
}
