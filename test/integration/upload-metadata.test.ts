import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireUserKey } from '../../src/modules/accounts/user-keys.js';
import type { GenerationView } from '../../src/modules/generations/generations.service.js';
import {
  startTestApp,
  submitImage,
  waitFor,
  waitForFinished,
  type TestApp,
} from '../support/test-app.js';

/** A 64×32 JPEG whose EXIF names an owner, a camera and a place, and says "rotate 90° clockwise". */
async function photoWithLocation(): Promise<Buffer> {
  const pixels = await sharp({
    create: { width: 64, height: 32, channels: 3, background: { r: 40, g: 120, b: 200 } },
  })
    .jpeg()
    .toBuffer();
  return sharp(pixels)
    .withExif({
      IFD0: { Artist: 'CANARY-ARTIST-93', Make: 'CANARY-MAKE', Model: 'CANARY-MODEL' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 2700/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 2900/100',
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

// Where the bytes are stored does not depend on the database; PGlite keeps this quick.
describe('an uploaded original is stored without its EXIF/GPS', () => {
  let t: TestApp;
  const stored: Uint8Array[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      database: 'pglite',
      // Runs while the encrypted original is still stored: read it back from the vault then.
      assessSafety: async () => {
        const row = await t.runtime.database.db
          .selectFrom('generations')
          .select(['user_id', 'input_object'])
          .where('input_object', 'is not', null)
          .executeTakeFirstOrThrow();
        const key = await requireUserKey(t.runtime.database.db, t.runtime.masterKey, row.user_id);
        const bytes = await t.runtime.vault.get(key, row.input_object ?? '');
        if (bytes) stored.push(bytes);
        return { safe: true, scores: {} };
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('removes GPS, owner and camera fields and applies the orientation before encryption', async () => {
    const upload = await photoWithLocation();
    const before = await sharp(upload).metadata();
    expect(before.exif).toBeDefined();
    expect(before.orientation).toBe(6);
    expect(upload.includes('CANARY-ARTIST-93')).toBe(true);

    const user = await t.signIn({ email: 'exif@example.com', name: 'Exif Tester' });
    const res = await submitImage(t, user, { seconds: '10', seed: '3' }, upload);
    expect(res.statusCode, res.body).toBe(202);
    const original = await waitFor(async () => stored[0]);

    const after = await sharp(original).metadata();
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    // Upright: the 64×32 picture tagged "rotate 90°" is stored as 32×64 pixels.
    expect([after.width, after.height]).toEqual([32, 64]);
    const text = Buffer.from(original).toString('latin1');
    for (const canary of ['CANARY-ARTIST-93', 'CANARY-MAKE', 'CANARY-MODEL', 'Exif\0\0']) {
      expect(text.includes(canary), canary).toBe(false);
    }

    const finished = await waitForFinished(t, user, res.json<GenerationView>().id);
    expect(finished.status).toBe('done');
  });
});
