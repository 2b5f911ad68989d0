import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from './mailer.js';

describe('the development outbox', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as an owner-only .eml file instead of sending it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'instune-outbox-'));
    const outbox = path.join(dir, 'outbox');
    const mailer = createMailer({ kind: 'outbox', dir: outbox, from: 'Instune <a@b.test>' });
    await mailer.send({ to: 'someone@example.com', subject: 'Hello 你好', text: 'Body 正文' });
    await mailer.send({ to: 'other@example.com', subject: 'Two', text: 'Second' });
    mailer.close();
    const files = (await readdir(outbox)).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    const first = path.join(outbox, files[0] ?? '');
    const eml = await readFile(first, 'utf8');
    expect(eml).toMatch(/^From: Instune <a@b\.test>$/m);
    expect(eml).toMatch(/^To: (someone|other)@example\.com$/m);
    expect((await stat(first)).mode & 0o777).toBe(0o600);
  });
});
