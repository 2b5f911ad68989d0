interface StoredEntry {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/**
 * oidc-provider's bundled memory adapter prints a console warning when used, so this is an
 * equivalent in-memory store, private to one issuer instance. Losing everything on restart is
 * fine for local runs.
 */
export function createMemoryAdapterFactory(): (model: string) => object {
  const entries = new Map<string, StoredEntry>();
  const sessionUids = new Map<string, string>();
  const userCodes = new Map<string, string>();
  const grants = new Map<string, Set<string>>();

  const get = (key: string): Record<string, unknown> | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const sweep = (): void => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  };

  return (model: string) => {
    const keyFor = (id: string): string => `${model}:${id}`;
    return {
      upsert: async (id: string, payload: Record<string, unknown>, expiresIn?: number) => {
        if (entries.size > 1000) sweep();
        const key = keyFor(id);
        const expiresAt =
          typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        entries.set(key, { payload, expiresAt });
        if (typeof payload.uid === 'string' && model === 'Session') {
          sessionUids.set(payload.uid, id);
        }
        if (typeof payload.userCode === 'string') userCodes.set(payload.userCode, id);
        if (typeof payload.grantId === 'string') {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          grants.set(payload.grantId, members);
        }
      },
      find: async (id: string) => get(keyFor(id)),
      findByUid: async (uid: string) => {
        const id = sessionUids.get(uid);
        return id === undefined ? undefined : get(keyFor(id));
      },
      findByUserCode: async (userCode: string) => {
        const id = userCodes.get(userCode);
        return id === undefined ? undefined : get(keyFor(id));
      },
      // A consumed authorization code stays findable so that its reuse can be detected and the
      // whole grant revoked.
      consume: async (id: string) => {
        const payload = get(keyFor(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id: string) => {
        const key = keyFor(id);
        const payload = entries.get(key)?.payload;
        entries.delete(key);
        if (payload && typeof payload.uid === 'string' && sessionUids.get(payload.uid) === id) {
          sessionUids.delete(payload.uid);
        }
      },
      revokeByGrantId: async (grantId: string) => {
        for (const key of grants.get(grantId) ?? []) entries.delete(key);
        grants.delete(grantId);
      },
    };
  };
}
