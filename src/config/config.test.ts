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
});
