/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import { launchChromium } from '../support/browser.js';
import { testPhoto } from '../support/images.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  waitForFinished,
  type SignedInUser,
  type TestApp,
} from '../support/test-app.js';

/*
 * Browser flows for issue 18, items 11–13: a piece renamed in the library, the mood filter,
 * delete from the row; the landing page's examples playing before sign-in; two versions side by
 * side; a piece extended from its result page. Real engine, real Chromium.
 */

const screenshots = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(screenshots, name), fullPage });
const photo = await testPhoto('night-river');

/** Page errors and console errors (a refused request a test causes is not one). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(message.text());
    }
  });
  return errors;
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('library actions, landing examples, two versions and extend in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let users = 0;

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    t = await startTestApp({
      database: 'pglite',
      listen: true,
      env: { FREE_CREDITS: '10', LANDING_EXAMPLES: 'true' },
    });
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(
    options: Parameters<Browser['newContext']>[0] = {},
  ): Promise<{ user: SignedInUser; context: BrowserContext }> {
    users += 1;
    const user = await t.signIn({ email: `lib-${users}@example.com`, name: `Library ${users}` });
    const context = await browser.newContext({
      viewport: { width: 1100, height: 900 },
      locale: 'en-GB',
      ...options,
    });
    await context.addCookies(
      user.cookie.split('; ').map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: t.baseUrl };
      }),
    );
    return { user, context };
  }

  async function piece(user: SignedInUser, fields: Record<string, string>) {
    const res = await submitImage(t, user, { seconds: '10', ...fields }, photo);
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitForFinished(t, user, res.json<GenerationView>().id);
    expect(done.status).toBe('done');
    return done;
  }

  // The engine is real and the machine shared: minutes, not seconds, per flow.
  const FLOW_MS = 600_000;

  it(
    'renames a piece in the library, filters by mood, and deletes from the row after asking',
    async () => {
      const { user, context } = await signedIn();
      const sad = await piece(user, { mood: 'sad', style: 'jazz' });
      const happy = await piece(user, { mood: 'happy', style: 'jazz' });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${t.baseUrl}/library`);
      const row = (id: string) => page.locator(`#library tr[data-id="${id}"]`);

      // Rename: the form opens on the row, saves through the API, and the new title stays.
      await row(sad.id).locator('button.rename').click();
      const input = row(sad.id).locator('input[name="title"]');
      await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await expect(input.getAttribute('placeholder')).resolves.toMatch(/^Jazz in /);
      await input.fill('Rain on the river');
      await row(sad.id).locator('.rename-form button[type="submit"]').click();
      await page.waitForFunction(
        (id) =>
          document.querySelector(`#library tr[data-id="${id}"] .piece-title`)?.textContent ===
          'Rain on the river',
        sad.id,
      );
      await expect(row(sad.id).locator('.rename-form').isHidden()).resolves.toBe(true);
      await page.reload();
      await expect(row(sad.id).locator('.piece-title').textContent()).resolves.toBe(
        'Rain on the river',
      );
      await expect(row(sad.id).locator('audio').getAttribute('aria-label')).resolves.toBe(
        'Rain on the river',
      );
      // The field takes no more than the server accepts (the integration test checks the server).
      await expect(input.getAttribute('maxlength')).resolves.toBe('80');

      // The mood filter, next to the style filter (one style here, so only the mood is offered).
      await expect(page.locator('#library-style').count()).resolves.toBe(0);
      await page.selectOption('#library-mood', 'happy');
      const visible = () =>
        page.$$eval('#library tbody tr', (trs) =>
          trs.filter((tr) => !(tr as HTMLElement).hidden).map((tr) => tr.getAttribute('data-id')),
        );
      await expect(visible()).resolves.toEqual([happy.id]);
      await page.selectOption('#library-mood', '');
      await expect(visible()).resolves.toEqual([happy.id, sad.id]);
      await shot(page, 'ui-11-library-actions.png', true);

      // Delete from the row: nothing happens when the question is declined…
      page.once('dialog', (dialog) => void dialog.dismiss());
      await row(happy.id).locator('button.delete-row').click();
      await expect(row(happy.id).count()).resolves.toBe(1);
      // …and the piece goes (row and API) when it is accepted.
      let question = '';
      page.once('dialog', (dialog) => {
        question = dialog.message();
        void dialog.accept();
      });
      const deleted = page.waitForResponse(
        (r) =>
          r.request().method() === 'DELETE' && r.url().endsWith(`/api/generations/${happy.id}`),
      );
      await row(happy.id).locator('button.delete-row').click();
      expect((await deleted).status()).toBe(204);
      await page.waitForSelector(`#library tr[data-id="${happy.id}"]`, { state: 'detached' });
      expect(question).toMatch(/^Delete “Jazz in .*” now\? This cannot be undone\.$/);
      await expect(page.textContent('#library-status')).resolves.toMatch(/^Deleted “Jazz in /);
      const gone = await t.app.inject({
        method: 'GET',
        url: `/api/generations/${happy.id}`,
        headers: { cookie: user.cookie },
      });
      expect(gone.statusCode).toBe(404);
      expect(errors).toEqual([]);

      // The library with its forms fits a phone, in Chinese too.
      for (const lang of ['en', 'zh']) {
        const phone = await browser.newContext({
          viewport: { width: 375, height: 812 },
          isMobile: true,
          locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
        });
        await phone.addCookies(await context.cookies());
        const small = await phone.newPage();
        await small.goto(`${t.baseUrl}/library?lang=${lang}`);
        await small.locator('button.rename').first().click();
        expect({ lang, width: await scrollWidth(small) }).toEqual({ lang, width: 375 });
        await phone.close();
      }
      await context.close();
    },
    FLOW_MS,
  );

  it(
    'plays the landing page’s examples before sign-in, with the picture, the plan and why',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const errors = watchErrors(page);
      // Composed in the background after start; the page says so until they are there.
      await page.goto(`${t.baseUrl}/`);
      const firstLook = await page.locator('#examples, #examples-preparing').first().textContent();
      expect(firstLook).toBeTruthy();
      await waitFor(async () => {
        await page.goto(`${t.baseUrl}/`);
        return (await page.locator('#examples').count()) > 0 ? true : undefined;
      }, 300_000);
      const cards = await page.$$eval('#examples .example', (items) =>
        items.map((li) => ({
          slug: li.getAttribute('data-slug'),
          image: li.querySelector('img')?.getAttribute('src'),
          audio: li.querySelector('audio')?.getAttribute('src'),
          label: li.querySelector('.ai-label')?.textContent,
          summary: li.querySelector('.summary')?.textContent?.trim(),
          story: li.querySelector('.example-story')?.textContent ?? '',
        })),
      );
      expect(cards.map((c) => c.slug)).toEqual(['sunset', 'night', 'forest']);
      for (const card of cards) {
        expect(card.image).toBe(`/examples/${card.slug}.png`);
        expect(card.audio).toBe(`/examples/${card.slug}.mp3`);
        expect(card.label).toContain('AI-generated');
        expect(card.summary).toMatch(/^[A-G][#b]? (major|minor) · \d+ BPM · \w/);
        expect(card.story.length).toBeGreaterThan(40);
      }
      // The pictures load, and the music plays.
      await page.waitForFunction(() =>
        Array.from(
          document.querySelectorAll('#examples img'),
          (el) => el as HTMLImageElement,
        ).every((img) => img.complete && img.naturalWidth === 640),
      );
      const played = await page.evaluate(async () => {
        const audio = document.querySelector<HTMLAudioElement>('#examples audio');
        if (!audio) return 0;
        await audio.play();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        audio.pause();
        return audio.currentTime;
      });
      expect(played).toBeGreaterThan(0.5);
      await shot(page, 'ui-12-landing-examples.png', true);
      expect(errors).toEqual([]);

      // In Chinese the story is Chinese; on a phone nothing scrolls sideways.
      const zh = await browser.newContext({
        viewport: { width: 375, height: 812 },
        isMobile: true,
        locale: 'zh-CN',
      });
      const phone = await zh.newPage();
      await phone.goto(`${t.baseUrl}/?lang=zh`);
      const story = await phone.textContent('#examples .example-story');
      expect(story).toMatch(/[\u4e00-\u9fff]/);
      await expect(phone.textContent('#examples-title')).resolves.toBe('听听它的作品');
      expect(await scrollWidth(phone)).toBeLessThanOrEqual(375);
      await shot(phone, 'ui-12-landing-examples-zh-375.png', true);
      await zh.close();
      await context.close();
    },
    FLOW_MS,
  );

  it(
    'makes two versions from the result page and shows them side by side, both playable',
    async () => {
      const { user, context } = await signedIn();
      const original = await piece(user, { style: 'folk' });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${t.baseUrl}/generations/${original.id}`);
      await page.waitForSelector('#versions:not([hidden])');
      const before = await t.app.inject({
        method: 'GET',
        url: '/api/credits',
        headers: { cookie: user.cookie },
      });
      const balance = before.json<{ balance: number }>().balance;
      await page.click('#versions');
      await page.waitForURL(/\/compare\?ids=/);
      const ids = new URL(page.url()).searchParams.get('ids')?.split(',') ?? [];
      expect(ids).toHaveLength(2);
      await page.waitForFunction(
        () =>
          Array.from(
            document.querySelectorAll('.compare-piece audio'),
            (el) => el as HTMLAudioElement,
          ).filter((a) => a.src !== '' && a.readyState >= 1).length === 2,
        undefined,
        { timeout: 180_000 },
      );
      const columns = await page.$$eval('.compare-piece', (pieces) =>
        pieces.map((p) => {
          const box = p.getBoundingClientRect();
          return {
            id: p.getAttribute('data-id'),
            x: Math.round(box.x),
            y: Math.round(box.y),
            label: p.querySelector('.ai-label')?.textContent,
            summary: p.querySelector('.compare-summary')?.textContent ?? '',
          };
        }),
      );
      expect(columns.map((c) => c.id)).toEqual(ids);
      // Side by side: the same top, different columns.
      expect(columns[0]?.y).toBe(columns[1]?.y);
      expect(columns[1]?.x ?? 0).toBeGreaterThan((columns[0]?.x ?? 0) + 200);
      for (const column of columns) {
        expect(column.label).toContain('AI-generated');
        expect(column.summary).toContain('Folk');
      }
      expect(columns[0]?.summary).not.toBe(columns[1]?.summary); // two different seeds
      const playedBoth = await page.evaluate(async () => {
        const times: number[] = [];
        for (const el of Array.from(document.querySelectorAll('.compare-piece audio'))) {
          const audio = el as HTMLAudioElement;
          await audio.play();
          await new Promise((resolve) => setTimeout(resolve, 800));
          audio.pause();
          times.push(audio.currentTime);
        }
        return times;
      });
      for (const time of playedBoth) expect(time).toBeGreaterThan(0.3);
      const after = await t.app.inject({
        method: 'GET',
        url: '/api/credits',
        headers: { cookie: user.cookie },
      });
      expect(after.json<{ balance: number }>().balance).toBe(balance - 2);
      await shot(page, 'ui-13-two-versions.png', true);
      // One above the other on a phone, nothing sideways.
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
      expect(errors).toEqual([]);
      await context.close();
    },
    FLOW_MS,
  );

  it(
    'extends a piece from its result page: the same plan, longer, on a page of its own',
    async () => {
      const { user, context } = await signedIn();
      const original = await piece(user, { style: 'ambient' });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${t.baseUrl}/generations/${original.id}`);
      await page.waitForSelector('#extend-form:not([hidden])');
      const offered = await page.$$eval('#extend-seconds option', (options) =>
        options.map((o) => (o as HTMLOptionElement).value),
      );
      expect(offered).toEqual(['10', '20', '30', '60']);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(1100);
      await page.selectOption('#extend-seconds', '20');
      await page.click('#extend');
      await page.waitForURL(
        (url) => url.pathname.startsWith('/generations/') && !url.pathname.endsWith(original.id),
      );
      const id = new URL(page.url()).pathname.split('/').pop() ?? '';
      await page.waitForFunction(
        () => {
          const player = document.querySelector<HTMLAudioElement>('#player');
          return player !== null && Number.isFinite(player.duration) && player.duration > 0;
        },
        undefined,
        { timeout: 180_000 },
      );
      const duration = await page.evaluate(
        () => document.querySelector<HTMLAudioElement>('#player')?.duration ?? 0,
      );
      expect(duration).toBeGreaterThan(original.seconds + 14);
      const view = (
        await t.app.inject({
          method: 'GET',
          url: `/api/generations/${id}`,
          headers: { cookie: user.cookie },
        })
      ).json<GenerationView>();
      expect(view).toMatchObject({
        parentId: original.id,
        derivation: 'extension',
        seed: original.seed,
      });
      await expect(page.textContent('#explanation-facts')).resolves.toMatch(/extended by \d+ s/);
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
      await shot(page, 'ui-13-extended-375.png', true);
      expect(errors).toEqual([]);
      await context.close();
    },
    FLOW_MS,
  );
});
