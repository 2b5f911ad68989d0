import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, type SignedInUser, type TestApp } from '../support/test-app.js';

describe.each(databaseKinds)('name correction on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ database: kind });
  });
  afterAll(async () => {
    await t?.close();
  });

  const accountName = async (user: SignedInUser) => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/account',
      headers: { cookie: user.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ account: { name: string | null } }>().account.name;
  };

  it("keeps the user's own name when Google sends a different one at the next sign-in", async () => {
    const email = `corrected-${kind}@example.com`;
    const first = await t.signIn({ email, name: 'Provider Name One' });
    const saved = await t.app.inject({
      method: 'PATCH',
      url: '/api/account',
      headers: {
        cookie: first.cookie,
        'x-csrf-token': first.csrfToken,
        'content-type': 'application/json',
      },
      payload: { name: 'Corrected Name 改正' },
    });
    expect(saved.statusCode, saved.body).toBe(204);

    // The whole sign-in again, through the issuer's form, with the provider's name changed.
    const again = await t.signIn({ email, name: 'Provider Name Two' });
    expect(again.userId).toBe(first.userId);
    expect(await accountName(again)).toBe('Corrected Name 改正');
  });

  it('gives a user who never corrected their name the provider’s new name', async () => {
    const email = `uncorrected-${kind}@example.com`;
    const first = await t.signIn({ email, name: 'Old Provider Name' });
    expect(await accountName(first)).toBe('Old Provider Name');
    const again = await t.signIn({ email, name: 'New Provider Name' });
    expect(again.userId).toBe(first.userId);
    expect(await accountName(again)).toBe('New Provider Name');
  });

  it('explains in the account center, in English and Chinese, that email and picture come from Google', async () => {
    const user = await t.signIn({ email: `explained-${kind}@example.com`, name: 'Explained' });
    for (const [lang, phrase] of [
      ['en', 'come from your Google account'],
      ['zh', '来自您的 Google 账户'],
    ] as const) {
      const page = await t.app.inject({
        method: 'GET',
        url: `/account?lang=${lang}`,
        headers: { cookie: user.cookie, accept: 'text/html' },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/id="provider-fields"/);
      expect(page.body).toContain(phrase);
    }
  });
});
