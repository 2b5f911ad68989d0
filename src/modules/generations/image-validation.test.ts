import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sharedImage, solidImage } from '../../../test/support/images.js';
import { AppError } from '../../lib/errors.js';
import { validateImage } from './image-validation.js';

const limits = { maxBytes: 2 * 1024 * 1024, maxPixels: 4_000_000 };

async function refusal(bytes: Uint8Array, l = limits): Promise<string> {
  try {
    await validateImage(bytes, l);
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('validateImage', () => {
  it('accepts real JPEG, PNG and WebP images', async () => {
    const photo = sharedImage('kodak_kodim23_parrots.jpg');
    expect(
      await validateImage(photo, { maxBytes: 10_000_000, maxPixels: 40_000_000 }),
    ).toMatchObject({
      mime: 'image/jpeg',
    });
    expect((await validateImage(await solidImage({ r: 1, g: 2, b: 3 }, 'png'), limits)).mime).toBe(
      'image/png',
    );
    expect((await validateImage(await solidImage({ r: 1, g: 2, b: 3 }, 'webp'), limits)).mime).toBe(
      'image/webp',
    );
  });

  it('refuses what is not an accepted image', async () => {
    expect(await refusal(Buffer.from(''))).toBe('bad_request');
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'unsupported_media_type',
    );
    expect(await refusal(Buffer.from('GIF89a....'))).toBe('unsupported_media_type');
    const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    expect(await refusal(gif)).toBe('unsupported_media_type');
  });

  it('refuses a truncated JPEG', async () => {
    const photo = sharedImage('kodak_kodim23_parrots.jpg');
    expect(
      await refusal(photo.subarray(0, Math.floor(photo.length / 2)), {
        maxBytes: 10_000_000,
        maxPixels: 40_000_000,
      }),
    ).toBe('unprocessable_image');
  });

  it('refuses a polyglot whose magic number lies about its content', async () => {
    const png = await solidImage({ r: 200, g: 0, b: 0 }, 'png');
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]);
    expect(await refusal(fakeJpeg)).not.toBe('accepted');
  });

  it('refuses a decompression bomb by its pixel count before decoding it', async () => {
    // 10000×10000 of one colour compresses to a few kilobytes but would be 300 MB decoded.
    const bomb = await sharp({
      create: { width: 10_000, height: 10_000, channels: 3, background: 'white' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(limits.maxBytes);
    expect(await refusal(bomb)).toBe('payload_too_large');
  });

  it('refuses files over the byte limit and tiny images', async () => {
    expect(await refusal(Buffer.alloc(limits.maxBytes + 1, 0xff))).toBe('payload_too_large');
    expect(await refusal(await solidImage({ r: 0, g: 0, b: 0 }, 'png', 8))).toBe(
      'unprocessable_image',
    );
  });
});
