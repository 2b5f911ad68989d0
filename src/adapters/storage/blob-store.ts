/** Where file bytes live. Implementations store opaque (already encrypted) bytes. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Resolves null when the object does not exist (deleted or never written). */
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}
