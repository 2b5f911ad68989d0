import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openBlobStore } from '../adapters/storage/open-blob-store.js';
import { ConfigError, DEVELOPMENT_CONTACT_EMAIL, loadConfig } from './config.js';

/** Everything production needs; each test removes or changes one setting. */
const production = {
  NODE_ENV: 'production',
  MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
  GOOGLE_CLIENT_ID: 'id',
  GOOGLE_CLIENT_SECRET: 'secret',
  STRIPE_SECRET_KEY: 'sk_live_abc123',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
  SMTP_URL: 'smtps://user:pass@smtp.example.cn',
  PRIVACY_CONTACT_EMAIL: 'privacy@instune.example',
} as const;

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

  it('runs in production with every required setting, and says where to write', () => {
    const config = loadConfig(production);
    expect(config.privacy).toEqual({
      contactEmail: 'privacy@instune.example',
      dataResidency: 'cn',
    });
    expect(loadConfig({}).privacy.contactEmail).toBe(DEVELOPMENT_CONTACT_EMAIL);
    expect(() => loadConfig({ PRIVACY_CONTACT_EMAIL: 'not an address' })).toThrow(
      /PRIVACY_CONTACT_EMAIL/,
    );
  });

  it('refuses production without a privacy contact address', () => {
    const { PRIVACY_CONTACT_EMAIL: _omitted, ...withoutContact } = production;
    expect(() => loadConfig(withoutContact)).toThrow(
      /PRIVACY_CONTACT_EMAIL is required in production/,
    );
    // An empty value counts as unset.
    expect(() => loadConfig({ ...production, PRIVACY_CONTACT_EMAIL: '' })).toThrow(
      /PRIVACY_CONTACT_EMAIL is required in production/,
    );
  });

  it('refuses object storage in production without a region inside the data residency', () => {
    const s3 = { ...production, S3_BUCKET: 'instune-media' };
    expect(() => loadConfig(s3)).toThrow(/S3_REGION must be set explicitly in production/);
    expect(() => loadConfig({ ...s3, S3_REGION: 'us-east-1' })).toThrow(
      /S3_REGION "us-east-1" is outside the data residency DATA_RESIDENCY=cn/,
    );
    for (const abroad of ['ap-southeast-1', 'oss-cn-hongkong', 'ap-hongkong', 'eu-central-1']) {
      expect(() => loadConfig({ ...s3, S3_REGION: abroad }), abroad).toThrow(/S3_REGION/);
    }
    for (const mainland of ['cn-north-1', 'cn-northwest-1', 'oss-cn-hangzhou', 'ap-shanghai']) {
      const storage = loadConfig({ ...s3, S3_REGION: mainland }).storage;
      expect(storage).toMatchObject({ kind: 's3', region: mainland });
    }
    // An operator whose policy makes no residency promise says so explicitly.
    expect(
      loadConfig({ ...s3, S3_REGION: 'us-east-1', DATA_RESIDENCY: 'none' }).storage,
    ).toMatchObject({ region: 'us-east-1' });
    expect(() => loadConfig({ ...s3, S3_REGION: 'cn-north-1', DATA_RESIDENCY: 'eu' })).toThrow(
      /DATA_RESIDENCY/,
    );
    // Outside production the local S3-compatible servers keep their default region.
    expect(loadConfig({ S3_BUCKET: 'instune-test' }).storage).toMatchObject({
      region: 'us-east-1',
    });
  });

  it('refuses to open a bucket abroad at start-up even from a hand-built storage config', () => {
    const storage = loadConfig({
      ...production,
      S3_BUCKET: 'instune-media',
      S3_REGION: 'cn-north-1',
    }).storage;
    if (storage.kind !== 's3') throw new Error('expected S3 storage');
    expect(() => openBlobStore({ ...storage, region: 'us-west-2' })).toThrow(
      /object storage refused: S3_REGION "us-west-2"/,
    );
    const store = openBlobStore(storage);
    expect(store.constructor.name).toBe('S3BlobStore');
    store.close?.();
    // Development and tests are not held to it (s3rver answers any region).
    expect(() =>
      openBlobStore({
        ...storage,
        region: 'us-west-2',
        residency: { required: 'cn', enforced: false },
      }),
    ).not.toThrow();
  });
});
