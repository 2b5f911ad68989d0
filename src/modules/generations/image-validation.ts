import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../lib/errors.js';

export type AcceptedImageType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
}

export interface ValidatedImage {
  mime: AcceptedImageType;
  width: number;
  height: number;
}

const MIN_SIDE = 16;

/**
 * Trust only the bytes. The declared content type and file name are ignored; the magic number
 * must name an accepted format, the decoder must agree, and the whole image must decode within
 * the pixel limit (so truncated files, polyglots and decompression bombs are refused before
 * anything is stored).
 */
export async function validateImage(
  bytes: Uint8Array,
  limits: ImageLimits,
): Promise<ValidatedImage> {
  if (bytes.length === 0) throw AppError.because('upload_empty', 'the uploaded file is empty');
  if (bytes.length > limits.maxBytes) {
    throw AppError.because(
      'upload_too_large',
      `images may be at most ${formatMiB(limits.maxBytes)}`,
      { limitMb: formatMb(limits.maxBytes) },
    );
  }
  const sniffed = sniffImageType(bytes);
  if (!sniffed) {
    throw AppError.because('upload_wrong_type', 'only JPEG, PNG and WebP images are accepted');
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch {
    throw AppError.because('upload_damaged', 'the image could not be read; it may be damaged');
  }
  const expectedFormat = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' }[
    sniffed
  ];
  if (metadata.format !== expectedFormat) {
    throw AppError.because(
      'upload_wrong_type',
      'the file content does not match an accepted image type',
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if ((metadata.pages ?? 1) > 1) {
    throw AppError.because('upload_animated', 'animated images are not accepted');
  }
  if (width * height > limits.maxPixels) {
    throw AppError.because(
      'upload_too_many_pixels',
      `the image is ${width}×${height}; at most ${(limits.maxPixels / 1e6).toFixed(0)} megapixels are accepted`,
      { width, height, limitMegapixels: Math.round(limits.maxPixels / 1e6) },
    );
  }
  if (width < MIN_SIDE || height < MIN_SIDE) {
    throw AppError.because(
      'upload_too_small',
      `the image must be at least ${MIN_SIDE}×${MIN_SIDE} pixels`,
      { minSide: MIN_SIDE },
    );
  }
  try {
    // A full decode catches truncated and corrupt data that the header alone does not reveal.
    await sharp(bytes, {
      limitInputPixels: limits.maxPixels,
      failOn: 'error',
      sequentialRead: true,
    })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch {
    throw AppError.because(
      'upload_damaged',
      'the image could not be decoded; it may be truncated or damaged',
    );
  }
  return { mime: sniffed, width, height };
}

/**
 * The stored original keeps only its pixels. Photos carry GPS coordinates, camera serial numbers,
 * owner names and capture times in EXIF, XMP and IPTC; the policy says no location data is
 * collected, so all of it goes before the bytes are encrypted and stored. The EXIF orientation is
 * applied first, so perception (which auto-rotates) sees the same upright picture; embedded colour
 * profiles are converted to sRGB, which is what perception decodes to anyway. JPEG and WebP are
 * re-encoded at quality 95 (full chroma for JPEG) so the features read from the pixels stay close
 * to the upload's; PNG is lossless.
 */
export async function stripImageMetadata(
  bytes: Uint8Array,
  mime: AcceptedImageType,
  limits: ImageLimits,
): Promise<Uint8Array> {
  const upright = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' }).rotate();
  switch (mime) {
    case 'image/jpeg':
      return upright.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'image/png':
      return upright.png().toBuffer();
    case 'image/webp':
      return upright.webp({ quality: 95 }).toBuffer();
  }
}

export function sniffImageType(bytes: Uint8Array): AcceptedImageType | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  ) {
    return 'image/png';
  }
  if (
    b.length >= 12 &&
    Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

function formatMiB(bytes: number): string {
  return `${formatMb(bytes)} MiB`;
}

/** Megabytes as the pages count them (2^20 bytes), to one decimal. */
function formatMb(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 10) / 10);
}
