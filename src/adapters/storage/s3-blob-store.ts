import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { BlobStore, StoredBlob } from './blob-store.js';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO, R2, Ceph, s3rver in tests); absent means AWS itself. */
  endpoint?: string | undefined;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Prepended to every key, so one bucket can hold several environments. */
  prefix?: string;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]{0,200}$/;

/**
 * Blobs as S3 objects. The bytes are already sealed by ObjectVault, so the bucket only ever
 * holds ciphertext; server-side encryption is welcome but not relied on.
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3BlobStoreOptions) {
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      // A copy: config is deep-frozen and the SDK annotates the credentials object it is given.
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
      // The SDK retries throttling and 5xx itself; three attempts bound a request's latency.
      maxAttempts: 3,
    });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#keyOf(key),
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const result = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#keyOf(key) }),
      );
      if (!result.Body) return null;
      return await result.Body.transformToByteArray();
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer | null> {
    const stream = await this.getRangeStream(key, start, end);
    if (!stream) return null;
    const parts: Buffer[] = [];
    for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
    return Buffer.concat(parts);
  }

  async getRangeStream(key: string, start: number, end: number): Promise<Readable | null> {
    try {
      const result = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: this.#keyOf(key),
          Range: `bytes=${start}-${end}`,
        }),
      );
      // In Node the SDK's body is an http.IncomingMessage, a Readable.
      return (result.Body as Readable | undefined) ?? null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Deleting a missing object succeeds, as S3 itself does. */
  async delete(key: string): Promise<void> {
    await this.#client.send(
      new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#keyOf(key) }),
    );
  }

  async stat(key: string): Promise<StoredBlob | null> {
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#keyOf(key) }),
      );
      return { key, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async list(options: { after?: string | undefined; limit: number }): Promise<StoredBlob[]> {
    const result = await this.#client.send(
      new ListObjectsV2Command({
        Bucket: this.#bucket,
        MaxKeys: Math.min(1000, options.limit),
        ...(this.#prefix ? { Prefix: this.#prefix } : {}),
        ...(options.after ? { StartAfter: `${this.#prefix}${options.after}` } : {}),
      }),
    );
    return (result.Contents ?? []).flatMap((object) =>
      object.Key?.startsWith(this.#prefix)
        ? [
            {
              key: object.Key.slice(this.#prefix.length),
              modifiedAt: object.LastModified ?? new Date(0),
            },
          ]
        : [],
    );
  }

  close(): void {
    this.#client.destroy();
  }

  #keyOf(key: string): string {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error('invalid blob key');
    return `${this.#prefix}${key}`;
  }
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey) return true;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
