import { describe, expect, it } from 'vitest';
import type { CreditEntryKind } from '../../db/schema.js';
import { foldCreditHistory } from './credits.service.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute));
const entry = (
  seq: number,
  kind: CreditEntryKind,
  amount: number,
  balance: number,
  generationId: string | null = null,
) => ({
  seq,
  kind,
  amount,
  balance_after: balance,
  generation_id: generationId,
  created_at: at(seq),
});

describe('the credit history a person reads', () => {
  it('folds each piece’s hold and settlement into one row with its net effect', () => {
    // Newest first, as the ledger is listed: B was held while A was running.
    const rows = foldCreditHistory([
      entry(6, 'release', 1, 9, 'B'),
      entry(5, 'capture', 0, 8, 'A'),
      entry(4, 'reservation', -1, 8, 'B'),
      entry(3, 'reservation', -1, 9, 'A'),
      entry(2, 'reservation', -1, 9, 'C'),
      entry(1, 'grant', 10, 10),
    ]);
    expect(rows).toEqual([
      {
        kind: 'piece',
        outcome: 'returned',
        generationId: 'B',
        net: 0,
        balanceAfter: 9,
        createdAt: at(4),
      },
      {
        kind: 'piece',
        outcome: 'spent',
        generationId: 'A',
        net: -1,
        balanceAfter: 8,
        createdAt: at(3),
      },
      {
        kind: 'piece',
        outcome: 'held',
        generationId: 'C',
        net: -1,
        balanceAfter: 9,
        createdAt: at(2),
      },
      {
        kind: 'grant',
        outcome: null,
        generationId: null,
        net: 10,
        balanceAfter: 10,
        createdAt: at(1),
      },
    ]);
  });
});
