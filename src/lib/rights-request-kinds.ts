/**
 * What a rights request or complaint can be about. One list for the table's type, the API's
 * answers and the staff alert payload; the database's check constraint (migration 0005) holds
 * the same values and a new kind needs a migration as well.
 */
export const rightsRequestKinds = [
  'access',
  'export',
  'correction',
  'deletion',
  'cancellation',
  'withdraw_consent',
  'complaint',
  'other',
] as const;
export type RightsRequestKind = (typeof rightsRequestKinds)[number];
