/// <reference lib="dom" />
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedImagesDir } from '../support/images.js';
import { launchChromium } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Debian's Chromium, driven by playwright-core (no browser download). .ci/run installs it.
const screenshots = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(screenshots, name), fullPage });

/** Page errors and console errors (CSP violations land there), favicon misses aside. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (message.location().url.endsWith('/favicon.ico')) return;
    errors.push(message.text());
  });
  return errors;
}

describe('a new user in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    t = await startTestApp({ database: 'pglite', listen: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, composes from a dropped photo, plays, downloads, switches to 中文, buys credits, exports and cancels', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1100, height: 900 },
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // Landing: what the service does, in three steps, and the privacy promises.
    await page.goto(t.baseUrl);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'picture into music',
    );
    expect(await page.locator('.steps li').count()).toBe(3);
    await expect(page.locator('.promises').textContent()).resolves.toContain('72 hours');
    await shot(page, '1-landing.png', true);

    // Sign in through the local OIDC issuer.
    await page.getByRole('link', { name: 'Sign in to start' }).click();
    await page.waitForSelector('#email');
    await page.fill('#email', 'browser-user@example.com');
    await page.fill('#name', 'Browser User');
    await shot(page, '2-local-sign-in.png');
    await page.click('#sign-in-submit');
    await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/policy/accept');
    if (new URL(page.url()).pathname === '/policy/accept') {
      await page.click('form[action="/policy/accept"] button[type="submit"]');
    }

    // Create: the cost and the balance are shown before submitting.
    await page.waitForSelector('#create-form');
    await expect(page.locator('h1').textContent()).resolves.toContain('Browser User');
    await expect(page.locator('#cost-line').textContent()).resolves.toMatch(
      /costs 1 credit(\(s\))?\. You have 5/,
    );
    await expect(page.locator('#submit').isDisabled()).resolves.toBe(false);

    // Drag and drop a real photo onto the drop zone.
    const photo = await readFile(path.join(sharedImagesDir, 'pd_impression_sunrise.jpg'));
    await page.evaluate(
      ({ base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: 'image/jpeg' }));
        const zone = document.getElementById('dropzone') as HTMLElement;
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(
            new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
          );
        }
      },
      { base64: photo.toString('base64'), name: 'pd_impression_sunrise.jpg' },
    );
    await page.waitForSelector('#preview:not([hidden])');
    await expect(page.locator('#file-name').textContent()).resolves.toBe(
      'pd_impression_sunrise.jpg',
    );
    await page.fill('#text', 'misty harbour at dawn');
    await page.fill('#seconds', '10');
    await page.selectOption('#mood', 'calm');
    await page.fill('#instrument', 'violin');
    await page.click('#surprise');
    await expect(page.locator('#seed').inputValue()).resolves.toMatch(/^\d+$/);
    await expect(page.locator('#style').inputValue()).resolves.not.toBe('');
    await page.fill('#seed', '11');
    // A fixed style after the surprise draw, so the piece is the same on every run.
    await page.selectOption('#style', 'jazz');
    await shot(page, '3-create.png', true);

    // Mobile: the create page at 375 px, with nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 812 });
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth),
    ).resolves.toBeLessThanOrEqual(375);
    await shot(page, '3-create-mobile.png');
    await page.setViewportSize({ width: 1100, height: 900 });

    await page.click('#submit');
    await Promise.race([
      page.waitForURL(/\/generations\/[0-9a-f-]+$/),
      page.waitForSelector('#form-error:not([hidden])').then(async (box) => {
        throw new Error(`the form showed: ${await box?.textContent()}`);
      }),
    ]);
    await page.waitForSelector('#result:not([hidden])', { timeout: 60_000 });
    await expect(page.locator('.ai-label').textContent()).resolves.toContain('AI生成');
    // The story in plain words; the numbers wait behind the details toggle.
    await expect(page.locator('#explanation').textContent()).resolves.toMatch(/beats a minute/);
    await expect(page.locator('#explanation-facts').textContent()).resolves.toMatch(/BPM/);
    expect(await page.locator('#palette .swatch').count()).toBeGreaterThan(0);
    expect(await page.locator('#stages li.done').count()).toBe(4);
    await page.waitForSelector('#waveform[data-drawn]', { timeout: 15_000 });
    await expect(page.locator('#expiry').textContent()).resolves.toMatch(
      /Deleted automatically in 2\d:/,
    );

    // The player can load the stream: its duration becomes known.
    const duration = await page.evaluate(async () => {
      const player = document.getElementById('player') as HTMLAudioElement;
      if (Number.isFinite(player.duration) && player.duration > 0) return player.duration;
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
    await shot(page, '4-result.png', true);

    // Seeking: the server answers Range, so the browser reports the whole piece seekable, and a
    // click on the waveform and the arrow keys move the playhead (review 2026-12, D11).
    const seekable = await page.evaluate(() => {
      const player = document.getElementById('player') as HTMLAudioElement;
      return player.seekable.length > 0 ? player.seekable.end(player.seekable.length - 1) : 0;
    });
    expect(seekable).toBeGreaterThan(duration - 0.5);
    const playhead = () =>
      page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).currentTime);
    const waveform = await page.locator('#waveform').boundingBox();
    if (!waveform) throw new Error('no waveform');
    await page.mouse.click(waveform.x + waveform.width * 0.75, waveform.y + waveform.height / 2);
    await expect.poll(playhead).toBeGreaterThan(duration * 0.7);
    const afterClick = await playhead();
    await page.focus('#waveform');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(playhead).toBeLessThan(afterClick - 4);
    await page.keyboard.press('Home');
    await expect.poll(playhead).toBeLessThan(0.5);
    await page.keyboard.press('End');
    await expect.poll(playhead).toBeGreaterThan(duration - 0.5);
    await expect(page.locator('#waveform').getAttribute('aria-valuemax')).resolves.toBe(
      String(Math.round(duration)),
    );

    const mp3Download = page.waitForEvent('download');
    await page.click('#download');
    const mp3 = await mp3Download;
    expect(mp3.suggestedFilename()).toMatch(/\.mp3$/);
    expect((await stat(await mp3.path())).size).toBeGreaterThan(50_000);

    // A variation: same plan, new seed, without uploading again.
    const original = page.url();
    await page.click('#variation');
    await page.waitForURL(
      (url) => /\/generations\/[0-9a-f-]+$/.test(url.pathname) && url.href !== original,
    );
    await page.waitForSelector('#result:not([hidden])', { timeout: 90_000 });
    await expect(page.locator('.ai-label').first().textContent()).resolves.toContain('AI生成');

    // The library lists the piece.
    await page.getByRole('link', { name: 'Library' }).click();
    await page.waitForSelector('#library');
    await expect(page.locator('#library tbody tr').first().textContent()).resolves.toContain('BPM');
    await shot(page, '5-library.png');

    // Accept preference cookies, then switch to 中文: remembered across pages.
    await page.click('button[name="choice"][value="accept"]');
    await page.waitForSelector('.consent-banner', { state: 'detached' });
    await page.click('#lang-zh');
    await page.waitForSelector('html[lang="zh-Hans"]');
    await expect(page.locator('h1').textContent()).resolves.toContain('作品库');
    await page.goto(t.baseUrl + '/');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-Hans');
    await expect(page.locator('h1').textContent()).resolves.toContain('您好');
    await expect(page.locator('#submit').textContent()).resolves.toContain('开始创作');
    await expect(page.locator('#cost-line').textContent()).resolves.toContain('本次创作需');
    await shot(page, '6-create-zh.png');
    await page.click('#lang-en');
    await page.waitForSelector('html[lang="en"]');

    // Buy credits through the local test checkout.
    await page.getByRole('link', { name: 'Credits', exact: true }).click();
    await page.waitForSelector('#balance');
    const before = Number(/Balance: (\d+)/.exec((await page.textContent('#balance')) ?? '')?.[1]);
    await shot(page, '7-credits.png', true);
    await page.locator('.pack button').first().click();
    await page.waitForSelector('#complete-checkout');
    await expect(page.locator('h1').textContent()).resolves.toContain('Local test checkout');
    await page.click('#complete-checkout');
    await page.waitForSelector('#purchase-result');
    await expect(page.locator('#purchase-result').textContent()).resolves.toContain('paid');
    const after = Number(/Balance: (\d+)/.exec((await page.textContent('#balance')) ?? '')?.[1]);
    expect(after).toBe(before + 10);

    // Account center: export and download, a complaint, then cancel.
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.waitForSelector('#inventory');
    expect(await page.locator('#inventory tbody tr').count()).toBeGreaterThan(3);
    await page.click('#export-button');
    await page.waitForSelector('#export-ready:not([hidden])', { timeout: 30_000 });
    const zipDownload = page.waitForEvent('download');
    await page.click('#export-link');
    const zip = await readFile(await (await zipDownload).path());
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    await page.selectOption('#request-kind', 'complaint');
    await page.fill('#request-message', 'The music was too quiet.');
    await page.click('#request-form button[type="submit"]');
    await expect.poll(() => page.locator('#requests-body').textContent()).toContain('Complaint');
    await shot(page, '8-account.png', true);

    await expect(page.locator('#cancel-button').isDisabled()).resolves.toBe(true);
    await page.fill('#cancel-confirm', 'cancel my account');
    await page.click('#cancel-button');
    await page.waitForSelector('.hero', { timeout: 10_000 });
    expect(errors).toEqual([]);
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
    await context.close();
  });

  it('serves the OpenAPI description and Swagger UI at /docs under its CSP', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    const response = await page.goto(t.baseUrl + '/docs/json');
    const document = (await response?.json()) as { openapi: string; paths: object };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/api/generations');
    await page.goto(t.baseUrl + '/docs');
    await page.waitForSelector('text=Instune API', { timeout: 15_000 });
    await page.waitForSelector('.opblock-tag');
    await shot(page, '9-docs.png');
    expect(errors).toEqual([]);
    await page.close();
  });
});
