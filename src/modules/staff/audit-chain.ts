import { createHash } from 'node:crypto';

/** The prev_hash of the first entry: there is nothing before it to chain to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What one audit entry says. Ids only: no names, emails or content ever go in here. */
export interface AuditFields {
  seq: number;
  at: Date;
  staffUserId: string;
  staffRole: string;
  action: string;
  subjectUserId: string | null;
  resource: string;
  requestId: string;
}

export interface ChainedEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/**
 * The exact bytes that are hashed. A JSON array of strings (and null) in a fixed order is
 * unambiguous: a field's value can never spill into its neighbour the way "a|b" + "c" could pass
 * for "a" + "b|c". The leading version tag lets a later encoding coexist with this one.
 */
export function canonicalEntryEncoding(prevHash: string, fields: AuditFields): string {
  return JSON.stringify([
    'instune-audit-v1',
    prevHash,
    String(fields.seq),
    fields.at.toISOString(),
    fields.staffUserId,
    fields.staffRole,
    fields.action,
    fields.subjectUserId,
    fields.resource,
    fields.requestId,
  ]);
}

export function computeEntryHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256')
    .update(canonicalEntryEncoding(prevHash, fields), 'utf8')
    .digest('hex');
}

export type ChainBreak =
  /** A field of the entry (or its hash) was changed after it was written. */
  | 'hash_mismatch'
  /** The entry does not point at the hash of the entry before it (removed, replaced, moved). */
  | 'prev_hash_mismatch'
  /** An entry is missing: sequence numbers are assigned without gaps. */
  | 'missing_entry'
  /** Sequence numbers repeat or go backwards. */
  | 'out_of_order';

export type ChainVerification =
  | { ok: true; entries: number; headSeq: number; headHash: string }
  | { ok: false; brokenAt: number; reason: ChainBreak; entries: number };

/**
 * Walks entries in seq order, fed in batches so a long log never sits in memory at once.
 * Stops at the first break: everything after it is unverifiable anyway.
 */
export class ChainVerifier {
  #expectedSeq: number;
  #prevHash: string;
  #entries = 0;
  #broken: { brokenAt: number; reason: ChainBreak } | null = null;

  /**
   * `from` is where a pruned chain now begins: the seq and hash of the last entry deleted by the
   * six-month retention (a checkpoint). Without it the chain starts at seq 1 from the genesis hash.
   */
  constructor(from?: { seq: number; hash: string }) {
    this.#expectedSeq = (from?.seq ?? 0) + 1;
    this.#prevHash = from?.hash ?? GENESIS_HASH;
  }

  /** Returns false once the chain is broken (the caller may stop reading). */
  push(entry: ChainedEntry): boolean {
    if (this.#broken) return false;
    if (entry.seq < this.#expectedSeq) return this.#fail(entry.seq, 'out_of_order');
    if (entry.seq > this.#expectedSeq) return this.#fail(this.#expectedSeq, 'missing_entry');
    if (entry.prevHash !== this.#prevHash) return this.#fail(entry.seq, 'prev_hash_mismatch');
    if (computeEntryHash(entry.prevHash, entry) !== entry.hash) {
      return this.#fail(entry.seq, 'hash_mismatch');
    }
    this.#expectedSeq += 1;
    this.#prevHash = entry.hash;
    this.#entries += 1;
    return true;
  }

  result(): ChainVerification {
    if (this.#broken) return { ok: false, ...this.#broken, entries: this.#entries };
    return {
      ok: true,
      entries: this.#entries,
      headSeq: this.#expectedSeq - 1,
      headHash: this.#prevHash,
    };
  }

  #fail(brokenAt: number, reason: ChainBreak): false {
    this.#broken = { brokenAt, reason };
    return false;
  }
}

export function verifyEntries(
  entries: Iterable<ChainedEntry>,
  from?: { seq: number; hash: string },
): ChainVerification {
  const verifier = new ChainVerifier(from);
  for (const entry of entries) if (!verifier.push(entry)) break;
  return verifier.result();
}
