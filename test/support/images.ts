import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export const sharedImagesDir = path.resolve(import.meta.dirname, '../../../shared/data/images');

export function sharedImage(name: string): Buffer {
  return readFileSync(path.join(sharedImagesDir, name));
}

export async function solidImage(
  colour: { r: number; g: number; b: number },
  format: 'png' | 'jpeg' | 'webp' = 'png',
  size = 64,
): Promise<Buffer> {
  const image = sharp({ create: { width: size, height: size, channels: 3, background: colour } });
  return image.toFormat(format).toBuffer();
}
