import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe('pglite');
    expect(config.oidc.kind).toBe('local');
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    expect(config.http.secureCookies).toBe(false);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('switches to PostgreSQL, Google and secure cookies when configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/instune',
      GOOGLE_CLIENT_ID: 'id',
      GOOGLE_CLIENT_SECRET: 'secret',
      PUBLIC_URL: 'https://instune.example/',
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/instune' });
    expect(config.oidc.kind).toBe('external');
    expect(config.http.publicUrl).toBe('https://instune.example');
    expect(config.http.secureCookies).toBe(true);
    expect(config.masterKey?.length).toBe(32);
  });

  it('takes a SoundFont path only if the file is there', () => {
    expect(loadConfig({}).engine).toEqual({ soundFontPath: undefined, renderThreads: 2 });
    const here = fileURLToPath(import.meta.url);
    expect(() => loadConfig({ SOUNDFONT_PATH: here })).toThrow(/SOUNDFONT_PATH/);
    expect(() => loadConfig({ SOUNDFONT_PATH: '/nowhere/bank.sf2' })).toThrow(/no file/);
  });

  it('names every bad value in one clear error', () => {
    try {
      loadConfig({ PORT: 'eighty', MASTER_KEY: 'short', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('MASTER_KEY: must be 32 bytes');
      expect(message).toContain('LOG_LEVEL');
    }
    expect(() => loadConfig({ GOOGLE_CLIENT_ID: 'only-id' })).toThrow(
      /GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together/,
    );
  });

  it('refuses production without a master key or a real identity provider', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /MASTER_KEY is required in production/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', MASTER_KEY: Buffer.alloc(32).toString('base64') }),
    ).toThrow(/local issuer is for development only/);
  });

  it('prices credits with sensible defaults and reads packs from JSON', () => {
    const config = loadConfig({});
    expect(config.credits.freeCredits).toBe(5);
    expect(config.credits.generationCost).toBe(1);
    expect(config.credits.packs[0]).toEqual({
      id: 'small',
      credits: 10,
      amountCents: 300,
      currency: 'usd',
    });
    const custom = loadConfig({
      FREE_CREDITS: '0',
      GENERATION_COST: '2',
      CREDIT_PACKS: '[{"id":"one","credits":5,"amountCents":500,"currency":"eur"}]',
    });
    expect(custom.credits).toEqual({
      freeCredits: 0,
      generationCost: 2,
      packs: [{ id: 'one', credits: 5, amountCents: 500, currency: 'eur' }],
    });
    expect(() => loadConfig({ CREDIT_PACKS: 'not json' })).toThrow(/CREDIT_PACKS: must be a JSON/);
    expect(() =>
      loadConfig({ CREDIT_PACKS: '[{"id":"a","credits":1,"amountCents":1,"currency":"USD"}]' }),
    ).toThrow(/CREDIT_PACKS/);
    expect(() =>
      loadConfig({
        CREDIT_PACKS:
          '[{"id":"a","credits":1,"amountCents":1,"currency":"usd"},{"id":"a","credits":2,"amountCents":2,"currency":"usd"}]',
      }),
    ).toThrow(/pack ids must be unique/);
  });

  it('uses Stripe when both keys are set, and the local test checkout only when none are', () => {
    expect(loadConfig({}).payments.kind).toBe('local');
    const stripe = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: '12111',
      STRIPE_API_PROTOCOL: 'http',
    });
    expect(stripe.payments).toEqual({
      kind: 'stripe',
      secretKey: 'sk_test_abc123',
      webhookSecret: 'whsec_abc123',
      webhookToleranceSeconds: 300,
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
    });
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc123' })).toThrow(
      /STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together/,
    );
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'x' }),
    ).toThrow(/must be a Stripe secret key/);
    // Production never falls back to the local checkout, which takes no payment.
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        MASTER_KEY: Buffer.alloc(32).toString('base64'),
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 'secret',
      }),
    ).toThrow(/local test checkout is for development only/);
  });
});
