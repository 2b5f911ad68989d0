import { describe, expect, it } from 'vitest';
import {
  canonicalEntryEncoding,
  computeEntryHash,
  GENESIS_HASH,
  verifyEntries,
  type AuditFields,
  type ChainedEntry,
} from './audit-chain.js';

const staffId = '11111111-1111-4111-8111-111111111111';
const subjectId = '22222222-2222-4222-8222-222222222222';

function buildChain(length: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const fields: AuditFields = {
      seq,
      at: new Date(Date.UTC(2026, 0, 5, 9, 0, seq)),
      staffUserId: staffId,
      staffRole: 'support',
      action: 'read_account',
      subjectUserId: seq % 3 === 0 ? null : subjectId,
      resource: `users/${subjectId}`,
      requestId: `req-${seq}`,
    };
    const hash = computeEntryHash(prevHash, fields);
    entries.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe('audit hash chain', () => {
  it('hashes a fixed encoding of every field, chained to the previous hash', () => {
    const [first] = buildChain(1);
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    if (!first) throw new Error('no entry');
    // Golden: changing the encoding silently would make every stored chain fail to verify.
    expect(canonicalEntryEncoding(GENESIS_HASH, first)).toBe(
      JSON.stringify([
        'instune-audit-v1',
        GENESIS_HASH,
        '1',
        '2026-01-05T09:00:01.000Z',
        staffId,
        'support',
        'read_account',
        subjectId,
        `users/${subjectId}`,
        'req-1',
      ]),
    );
    expect(computeEntryHash(GENESIS_HASH, first)).toBe(computeEntryHash(GENESIS_HASH, first));
    expect(computeEntryHash('f'.repeat(64), first)).not.toBe(first.hash);
  });

  it('keeps field boundaries: moving a character between fields changes the hash', () => {
    const [first] = buildChain(1);
    if (!first) throw new Error('no entry');
    const shifted = { ...first, action: 'read_accoun', resource: `tusers/${subjectId}` };
    expect(computeEntryHash(GENESIS_HASH, shifted)).not.toBe(first.hash);
    const nulled = { ...first, subjectUserId: null };
    const stringNull = { ...first, subjectUserId: 'null' };
    expect(computeEntryHash(GENESIS_HASH, nulled)).not.toBe(
      computeEntryHash(GENESIS_HASH, stringNull),
    );
  });

  it('verifies an intact chain and reports its head', () => {
    const chain = buildChain(6);
    expect(verifyEntries(chain)).toEqual({
      ok: true,
      entries: 6,
      headSeq: 6,
      headHash: chain[5]?.hash,
    });
    expect(verifyEntries([])).toEqual({ ok: true, entries: 0, headSeq: 0, headHash: GENESIS_HASH });
  });

  const edits: Array<[string, (e: ChainedEntry) => ChainedEntry]> = [
    ['at', (e) => ({ ...e, at: new Date(e.at.getTime() + 1) })],
    ['staffUserId', (e) => ({ ...e, staffUserId: subjectId })],
    ['staffRole', (e) => ({ ...e, staffRole: 'admin' })],
    ['action', (e) => ({ ...e, action: 'read_generations' })],
    ['subjectUserId', (e) => ({ ...e, subjectUserId: staffId })],
    ['resource', (e) => ({ ...e, resource: 'users/someone-else' })],
    ['requestId', (e) => ({ ...e, requestId: 'req-x' })],
    ['hash', (e) => ({ ...e, hash: 'a'.repeat(64) })],
  ];
  it.each(edits)('finds an edited %s at its seq', (_field, edit) => {
    const chain = buildChain(6).map((e) => (e.seq === 4 ? edit(e) : e));
    const result = verifyEntries(chain);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.brokenAt).toBe(4);
    expect(result.entries).toBe(3);
  });

  it('finds an edit whose hash was recomputed, at the next entry', () => {
    const chain = buildChain(6);
    const victim = chain[2];
    if (!victim) throw new Error('no entry');
    const edited = { ...victim, resource: 'users/forged' };
    chain[2] = { ...edited, hash: computeEntryHash(edited.prevHash, edited) };
    expect(verifyEntries(chain)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'prev_hash_mismatch',
    });
  });

  it('finds a deleted middle entry at the missing seq', () => {
    const chain = buildChain(6).filter((e) => e.seq !== 3);
    expect(verifyEntries(chain)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'missing_entry',
    });
  });

  it('finds a deleted first entry', () => {
    const chain = buildChain(3).slice(1);
    expect(verifyEntries(chain)).toMatchObject({ ok: false, brokenAt: 1, reason: 'missing_entry' });
  });

  it('verifies a chain pruned at a checkpoint from there, and nothing else in its place', () => {
    const chain = buildChain(6);
    const last = chain[2];
    if (!last) throw new Error('no entry');
    const kept = chain.slice(3);
    expect(verifyEntries(kept, { seq: last.seq, hash: last.hash })).toMatchObject({
      ok: true,
      entries: 3,
      headSeq: 6,
    });
    // A checkpoint that is not the pruned entry's hash, or a gap after it, does not verify.
    expect(verifyEntries(kept, { seq: 3, hash: GENESIS_HASH })).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'prev_hash_mismatch',
    });
    expect(verifyEntries(kept.slice(1), { seq: 3, hash: last.hash })).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'missing_entry',
    });
  });

  it('finds entries whose seq numbers were swapped', () => {
    const chain = buildChain(5);
    const [a, b] = [chain[1], chain[2]];
    if (!a || !b) throw new Error('no entry');
    chain[1] = { ...b, seq: 2 };
    chain[2] = { ...a, seq: 3 };
    expect(verifyEntries(chain)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('finds a deleted row renumbered to close the gap', () => {
    const chain = buildChain(5)
      .filter((e) => e.seq !== 2)
      .map((e) => (e.seq > 2 ? { ...e, seq: e.seq - 1 } : e));
    expect(verifyEntries(chain)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('finds a repeated seq', () => {
    const chain = buildChain(3);
    const second = chain[1];
    if (!second) throw new Error('no entry');
    expect(verifyEntries([...chain.slice(0, 2), second])).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'out_of_order',
    });
  });
});
