import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../../config/config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail; callers never log the address or the body. */
export interface Mailer {
  readonly kind: MailConfig['kind'];
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP (SMTP_URL, e.g. smtps://user:pass@smtp.example.com) in production. Without it — the
 * embedded default — nodemailer's stream transport builds the real message and we write it to
 * DATA_DIR/outbox/*.eml (owner-only permissions), to open in any mail client. Those files hold
 * addresses in clear, so configuration refuses the outbox in production.
 */
export function createMailer(config: MailConfig): Mailer {
  if (config.kind === 'smtp') {
    const transport = nodemailer.createTransport(config.url, { from: config.from });
    return {
      kind: 'smtp',
      send: async (message) => {
        await transport.sendMail(message);
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport(
    { streamTransport: true, buffer: true, newline: 'unix' },
    { from: config.from },
  );
  return {
    kind: 'outbox',
    send: async (message) => {
      const info = await transport.sendMail(message);
      if (!Buffer.isBuffer(info.message)) throw new Error('the outbox transport returned a stream');
      await mkdir(config.dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
      await writeFile(path.join(config.dir, name), info.message, { mode: 0o600, flag: 'wx' });
    },
    close: () => transport.close(),
  };
}
