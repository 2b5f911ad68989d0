/// <reference lib="dom" />
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedImagesDir } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Debian's Chromium, driven by playwright-core (no browser download). .ci/run installs it.
const chromiumPath = '/usr/bin/chromium';
const screenshots = path.resolve(import.meta.dirname, '../../test-results/screenshots');

describe('a new user in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    t = await startTestApp({ database: 'pglite', listen: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, uploads a photo, waits for the music, plays and downloads it', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(t.baseUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'picture into music',
    );
    await page.screenshot({ path: path.join(screenshots, '1-landing.png') });

    await page.getByRole('link', { name: 'Sign in to start' }).click();
    await page.waitForSelector('#email');
    await page.fill('#email', 'browser-user@example.com');
    await page.fill('#name', 'Browser User');
    await page.screenshot({ path: path.join(screenshots, '2-local-sign-in.png') });
    await page.click('#sign-in-submit');

    await page.waitForSelector('#create-form');
    await expect(page.locator('h1').textContent()).resolves.toContain('Browser User');
    await page.setInputFiles('#image', path.join(sharedImagesDir, 'pd_impression_sunrise.jpg'));
    await page.fill('#text', 'misty harbour at dawn');
    await page.fill('#seconds', '10');
    await page.fill('#seed', '11');
    await page.screenshot({ path: path.join(screenshots, '3-create.png') });
    await page.click('#create-form button[type="submit"]');

    await page.waitForURL(/\/generations\/[0-9a-f-]+$/);
    await page.waitForSelector('#result:not([hidden])', { timeout: 90_000 });
    await expect(page.locator('.ai-label').textContent()).resolves.toContain('AI生成');
    await expect(page.locator('#explanation').textContent()).resolves.toMatch(/BPM/);
    expect(await page.locator('#palette .swatch').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, '4-result.png'), fullPage: true });

    // The player can load the stream: its duration becomes known.
    const duration = await page.evaluate(async () => {
      const player = document.getElementById('player') as HTMLAudioElement;
      player.load();
      await new Promise((resolve, reject) => {
        player.addEventListener('loadedmetadata', resolve, { once: true });
        player.addEventListener('error', () => reject(new Error('audio failed to load')), {
          once: true,
        });
      });
      return player.duration;
    });
    expect(duration).toBeGreaterThan(8);

    const downloadPromise = page.waitForEvent('download');
    await page.click('#download');
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.mp3$/);
    const file = await download.path();
    expect((await stat(file)).size).toBeGreaterThan(50_000);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
