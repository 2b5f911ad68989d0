import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

/**
 * The stems as one ZIP: the WAVs stored (PCM hardly deflates, and storing keeps the archive a
 * few milliseconds of work), a fixed timestamp so the archive is a pure function of its files,
 * and a short README saying what the files are and how they sum.
 */

/** ZIP timestamps cannot be before 1980; a fixed one keeps the bytes reproducible. */
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

export interface StemFile {
  name: string;
  bytes: Uint8Array;
}

export function zipStems(stems: readonly StemFile[], readme: string): Uint8Array {
  const files: Zippable = { 'README.txt': [strToU8(readme), { level: 6 }] };
  for (const stem of stems) files[stem.name] = [stem.bytes, { level: 0 }];
  return zipSync(files, { mtime: FIXED_MTIME });
}

/** The files of a stems ZIP (for tests and read-back). */
export function unzipStems(zip: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(zip);
}
