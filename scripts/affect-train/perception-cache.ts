/**
 * Perception results cached on disk for the affect scripts (derive:affect, eval:affect), so
 * that hundreds of images are run through the models once: /tmp/perception-cache/<sha256>-v<N>-e<tag>.json
 * holds the content, colour features and backbone embedding of one image, and the time it took.
 * The tag names the backbone outputs the embedding is made of, so a change of embedding never
 * reads vectors of the old layout.
 * Outside the project on purpose: the cache is derived from third-party images.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageFeatures } from '../../src/music/perception/image-features.js';
import { BACKBONE_MID_NODES } from '../../src/music/perception/vision-models.js';
import {
  CONTENT_VERSION,
  perceiveContent,
  type ImageContent,
} from '../../src/music/perception/content-analysis.js';

export const CACHE_DIR = '/tmp/perception-cache';
const EMBEDDING_TAG = createHash('sha256')
  .update(BACKBONE_MID_NODES.join('\n'))
  .digest('hex')
  .slice(0, 8);

export interface CachedPerception {
  content: ImageContent;
  features: ImageFeatures;
  embedding: Float32Array;
  /** Wall time of the analysis when it was computed (not when read back). */
  ms: number;
}

export async function cachedPerception(bytes: Uint8Array): Promise<CachedPerception> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const file = path.join(CACHE_DIR, `${hash}-v${CONTENT_VERSION}-e${EMBEDDING_TAG}.json`);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Omit<CachedPerception, 'embedding'> & {
      embedding: number[];
    };
    return { ...stored, embedding: Float32Array.from(stored.embedding) };
  } catch {
    // Not cached yet.
  }
  const started = performance.now();
  const result = await perceiveContent(bytes);
  const ms = performance.now() - started;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      content: result.content,
      features: result.features,
      embedding: Array.from(result.embedding, (v) => Math.round(v * 1e5) / 1e5),
      ms,
    }),
  );
  return { content: result.content, features: result.features, embedding: result.embedding, ms };
}
