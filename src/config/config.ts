import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  dataResidencies,
  residencyProblem,
  type DataResidency,
} from '../adapters/storage/data-residency.js';
import { crashPoints, type CrashPoint } from '../lib/crash-points.js';

/**
 * The one place that reads the environment. Parsed once at start-up into a frozen, typed
 * object that is passed to everything else; a bad value stops the process with a clear message.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const creditPackSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'pack ids are lower-case letters, digits and dashes'),
    credits: z.number().int().positive(),
    amountCents: z.number().int().positive(),
    currency: z
      .string()
      .regex(/^[a-z]{3}$/, 'currency is a lower-case ISO 4217 code such as "usd"'),
  })
  .strict();
export type CreditPack = z.infer<typeof creditPackSchema>;

const defaultCreditPacks: CreditPack[] = [
  { id: 'small', credits: 10, amountCents: 300, currency: 'usd' },
  { id: 'medium', credits: 30, amountCents: 800, currency: 'usd' },
  { id: 'large', credits: 100, amountCents: 2000, currency: 'usd' },
];

const creditPacksJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of packs' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(creditPackSchema)
      .min(1)
      .refine((packs) => new Set(packs.map((p) => p.id)).size === packs.length, {
        message: 'pack ids must be unique',
      }),
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    MASTER_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    // Keys MASTER_KEY replaced, comma-separated: still able to unwrap until `rotate-master-key`
    // has re-wrapped every data key with the current one; then remove them.
    MASTER_KEYS_PREVIOUS: z
      .string()
      .refine(
        (v) => v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length === 32),
        'each key must be 32 bytes, base64-encoded',
      )
      .optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_ISSUER: z.url().default('https://accounts.google.com'),
    LOCAL_OIDC_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 1024 * 1024),
    UPLOAD_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
    TEXT_MAX_CHARS: z.coerce.number().int().positive().default(2000),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .default(24 * 14),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    // A larger SoundFont than the bundled stereo bank (e.g. Debian's FluidR3_GM.sf2).
    SOUNDFONT_PATH: z
      .string()
      .min(1)
      .refine((p) => existsSync(p), 'no file at that path')
      .refine((p) => /\.sf[23]$/i.test(p), 'must be a .sf2 or .sf3 SoundFont')
      .optional(),
    RENDER_THREADS: z.coerce.number().int().min(1).max(16).default(2),
    // The landing page's example pieces, composed once per engine version by a process that
    // composes (worker or all-in-one) and cached in DATA_DIR/examples. Off: none are made.
    LANDING_EXAMPLES: booleanString.default(true),
    TRUST_PROXY: booleanString.default(false),
    FREE_CREDITS: z.coerce.number().int().min(0).default(5),
    GENERATION_COST: z.coerce.number().int().positive().default(1),
    CREDIT_PACKS: creditPacksJson.default(defaultCreditPacks),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_… or rk_…)')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_…)')
      .optional(),
    STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    STRIPE_API_HOST: z.string().min(1).optional(),
    STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).max(200).default('Instune <no-reply@instune.invalid>'),
    RATE_LIMIT_ENABLED: booleanString.default(true),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    RATE_LIMIT_GLOBAL_MAX: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_AUTH_MAX: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_GENERATIONS_MAX: z.coerce.number().int().min(1).default(20),
    EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(4),
    EVENT_STREAMS_PER_PROCESS: z.coerce.number().int().min(1).default(2000),
    // Open connections from one client address (not applied with TRUST_PROXY: the proxy's to cap).
    HTTP_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(128),
    GENERATION_JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    JOB_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    // Fault injection for the crash-recovery test only; never set in production (refused below).
    INSTUNE_TEST_CRASH_AT: z.enum(crashPoints).optional(),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    // No default here: production must name it (checked below); elsewhere it falls back to
    // us-east-1, which local S3-compatible servers accept.
    S3_REGION: z.string().min(1).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: booleanString.default(false),
    // Where stored objects may be: 'cn' (mainland China, the policy's promise) or 'none'.
    DATA_RESIDENCY: z.enum(dataResidencies).default('cn'),
    // The address people write to about their personal information, with or without an account
    // (PIPL Art. 52; the policy's contact section). Shown on every page.
    PRIVACY_CONTACT_EMAIL: z.email().max(254).optional(),
    // Contact-form posts (and confirmations) per IP per window: each one can send a mail.
    RATE_LIMIT_CONTACT_MAX: z.coerce.number().int().min(1).default(5),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.INSTUNE_TEST_CRASH_AT === undefined, {
    message: 'INSTUNE_TEST_CRASH_AT is a test hook and is refused in production',
    path: ['INSTUNE_TEST_CRASH_AT'],
  })
  .refine((env) => Boolean(env.S3_ACCESS_KEY_ID) === Boolean(env.S3_SECRET_ACCESS_KEY), {
    message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together',
    path: ['S3_ACCESS_KEY_ID'],
  })
  .refine((env) => Boolean(env.GOOGLE_CLIENT_ID) === Boolean(env.GOOGLE_CLIENT_SECRET), {
    message: 'GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together',
    path: ['GOOGLE_CLIENT_ID'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.MASTER_KEY !== undefined, {
    message: 'MASTER_KEY is required in production (32 random bytes, base64)',
    path: ['MASTER_KEY'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.GOOGLE_CLIENT_ID !== undefined, {
    message:
      'production needs GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET; the local issuer is for development only',
    path: ['GOOGLE_CLIENT_ID'],
  })
  .refine((env) => Boolean(env.STRIPE_SECRET_KEY) === Boolean(env.STRIPE_WEBHOOK_SECRET), {
    message: 'STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together',
    path: ['STRIPE_SECRET_KEY'],
  })
  // The local test checkout grants credits without payment: never in production.
  .refine((env) => env.NODE_ENV !== 'production' || env.STRIPE_SECRET_KEY !== undefined, {
    message:
      'production needs STRIPE_SECRET_KEY/STRIPE_WEBHOOK_SECRET; the local test checkout is for development only',
    path: ['STRIPE_SECRET_KEY'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PRIVACY_CONTACT_EMAIL !== undefined, {
    message:
      'PRIVACY_CONTACT_EMAIL is required in production: the policy and every page must show where to write about personal information',
    path: ['PRIVACY_CONTACT_EMAIL'],
  })
  // Object storage in production must name its region, and the region must keep the promise.
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production' || env.S3_BUCKET === undefined) return;
    const problem = residencyProblem(env.S3_REGION, env.DATA_RESIDENCY);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['S3_REGION'] });
  })
  // The outbox keeps whole messages, addresses included, as plain files: development only.
  .refine((env) => env.NODE_ENV !== 'production' || env.SMTP_URL !== undefined, {
    message: 'production needs SMTP_URL; the .eml outbox in DATA_DIR is for development only',
    path: ['SMTP_URL'],
  });

export type DatabaseConfig =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export type OidcConfig =
  | { kind: 'external'; issuerUrl: string; clientId: string; clientSecret: string }
  | { kind: 'local'; port: number };

/**
 * Stripe when both keys are set; otherwise the local test checkout, which completes purchases
 * without any payment and so exists only when no Stripe key is configured.
 */
export type PaymentsConfig =
  | {
      kind: 'stripe';
      secretKey: string;
      webhookSecret: string;
      webhookToleranceSeconds: number;
      /** Points the SDK at another server (tests use a local stand-in for the Stripe API). */
      api: { host?: string; port?: number; protocol?: 'http' | 'https' };
    }
  | { kind: 'local'; webhookToleranceSeconds: number };

export interface CreditsConfig {
  /** Granted once, when the account is created. */
  readonly freeCredits: number;
  readonly generationCost: number;
  readonly packs: readonly CreditPack[];
}

/** SMTP when SMTP_URL is set; otherwise messages are written as .eml files to DATA_DIR/outbox. */
export type MailConfig =
  { kind: 'smtp'; url: string; from: string } | { kind: 'outbox'; dir: string; from: string };

/** S3-compatible object storage when S3_BUCKET is set; otherwise encrypted files in DATA_DIR. */
export type StorageConfig =
  | { kind: 'file'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      /** Checked again when the store opens (open-blob-store.ts), in production. */
      residency: { required: DataResidency; enforced: boolean };
      endpoint: string | undefined;
      forcePathStyle: boolean;
      /** Absent: the SDK's default chain (instance role, AWS_* variables). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

/** Requests per window; per IP on sign-in, per user (else IP) on uploads and overall. */
export interface RateLimitConfig {
  readonly enabled: boolean;
  readonly windowSeconds: number;
  readonly globalMax: number;
  readonly authMax: number;
  readonly generationsMax: number;
  /** Per IP on the contact form and its confirmation (each post can send a mail). */
  readonly contactMax: number;
}

/** What every page says about reaching us, and where personal data may be stored. */
export interface PrivacyConfig {
  /** PRIVACY_CONTACT_EMAIL; a development default outside production. */
  readonly contactEmail: string;
  readonly dataResidency: DataResidency;
}

/** The address shown when PRIVACY_CONTACT_EMAIL is unset (never in production). */
export const DEVELOPMENT_CONTACT_EMAIL = 'privacy@instune.invalid';

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string;
    /** Cookies get Secure and the __Host- prefix only when the public URL is HTTPS. */
    readonly secureCookies: boolean;
    readonly trustProxy: boolean;
    /** Open progress streams (Server-Sent Events) allowed per user and per web process. */
    readonly eventStreams: { readonly perUser: number; readonly perProcess: number };
    /** Open connections from one client address; more are closed unread (src/http/connection-cap.ts). */
    readonly connectionsPerAddress: number;
  };
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /** Absent only outside production: the embedded default keeps a generated key in DATA_DIR. */
  readonly masterKey: Buffer | undefined;
  readonly previousMasterKeys: readonly Buffer[];
  readonly logLevel: string;
  readonly oidc: OidcConfig;
  readonly uploads: {
    readonly maxBytes: number;
    readonly maxPixels: number;
    readonly maxTextChars: number;
  };
  readonly sessions: { readonly ttlHours: number };
  readonly worker: {
    readonly concurrency: number;
    /** A generation job still active after this long is presumed lost and retried. */
    readonly generationTimeoutSeconds: number;
    /** How often pg-boss looks for expired jobs (its maintenance interval). */
    readonly maintenanceIntervalSeconds: number;
    /** Test-only fault injection: the worker kills itself (SIGKILL) at this point. */
    readonly crashAt: CrashPoint | undefined;
  };
  /** How the music engine runs in the worker role. */
  readonly engine: {
    /** SoundFont to render with; absent: the bundled stereo bank. */
    readonly soundFontPath: string | undefined;
    /** Threads one render may use (its parts are rendered on them side by side). */
    readonly renderThreads: number;
  };
  readonly examples: {
    /** Compose the landing page's examples in the background (landing-examples.service.ts). */
    readonly generate: boolean;
  };
  readonly storage: StorageConfig;
  readonly rateLimits: RateLimitConfig;
  readonly credits: CreditsConfig;
  readonly payments: PaymentsConfig;
  readonly mail: MailConfig;
  readonly privacy: PrivacyConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl,
      secureCookies: publicUrl.startsWith('https:'),
      trustProxy: e.TRUST_PROXY,
      eventStreams: { perUser: e.EVENT_STREAMS_PER_USER, perProcess: e.EVENT_STREAMS_PER_PROCESS },
      connectionsPerAddress: e.HTTP_CONNECTIONS_PER_ADDRESS,
    },
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'db') },
    masterKey: e.MASTER_KEY ? Buffer.from(e.MASTER_KEY, 'base64') : undefined,
    previousMasterKeys: (e.MASTER_KEYS_PREVIOUS ?? '')
      .split(',')
      .filter((k) => k.trim() !== '')
      .map((k) => Buffer.from(k.trim(), 'base64')),
    logLevel: e.LOG_LEVEL,
    oidc:
      e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
        ? {
            kind: 'external',
            issuerUrl: e.OIDC_ISSUER,
            clientId: e.GOOGLE_CLIENT_ID,
            clientSecret: e.GOOGLE_CLIENT_SECRET,
          }
        : { kind: 'local', port: e.LOCAL_OIDC_PORT },
    uploads: {
      maxBytes: e.UPLOAD_MAX_BYTES,
      maxPixels: e.UPLOAD_MAX_PIXELS,
      maxTextChars: e.TEXT_MAX_CHARS,
    },
    sessions: { ttlHours: e.SESSION_TTL_HOURS },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      generationTimeoutSeconds: e.GENERATION_JOB_TIMEOUT_SECONDS,
      maintenanceIntervalSeconds: e.JOB_MAINTENANCE_INTERVAL_SECONDS,
      crashAt: e.INSTUNE_TEST_CRASH_AT,
    },
    engine: { soundFontPath: e.SOUNDFONT_PATH, renderThreads: e.RENDER_THREADS },
    examples: { generate: e.LANDING_EXAMPLES },
    storage: e.S3_BUCKET
      ? {
          kind: 's3',
          bucket: e.S3_BUCKET,
          region: e.S3_REGION ?? 'us-east-1',
          residency: { required: e.DATA_RESIDENCY, enforced: e.NODE_ENV === 'production' },
          endpoint: e.S3_ENDPOINT,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
          credentials:
            e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
              : undefined,
        }
      : { kind: 'file', dir: path.join(dataDir, 'blobs') },
    rateLimits: {
      enabled: e.RATE_LIMIT_ENABLED,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      globalMax: e.RATE_LIMIT_GLOBAL_MAX,
      authMax: e.RATE_LIMIT_AUTH_MAX,
      generationsMax: e.RATE_LIMIT_GENERATIONS_MAX,
      contactMax: e.RATE_LIMIT_CONTACT_MAX,
    },
    credits: {
      freeCredits: e.FREE_CREDITS,
      generationCost: e.GENERATION_COST,
      packs: e.CREDIT_PACKS,
    },
    payments:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
        ? {
            kind: 'stripe',
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            webhookToleranceSeconds: e.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
            api: {
              ...(e.STRIPE_API_HOST ? { host: e.STRIPE_API_HOST } : {}),
              ...(e.STRIPE_API_PORT ? { port: e.STRIPE_API_PORT } : {}),
              ...(e.STRIPE_API_PROTOCOL ? { protocol: e.STRIPE_API_PROTOCOL } : {}),
            },
          }
        : { kind: 'local', webhookToleranceSeconds: e.STRIPE_WEBHOOK_TOLERANCE_SECONDS },
    mail: e.SMTP_URL
      ? { kind: 'smtp', url: e.SMTP_URL, from: e.MAIL_FROM }
      : { kind: 'outbox', dir: path.join(dataDir, 'outbox'), from: e.MAIL_FROM },
    privacy: {
      contactEmail: e.PRIVACY_CONTACT_EMAIL ?? DEVELOPMENT_CONTACT_EMAIL,
      dataResidency: e.DATA_RESIDENCY,
    },
  };
  return deepFreeze(config);
}

function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
