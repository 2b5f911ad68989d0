import type { ImageFeatures } from '../../src/music/perception/image-features.js';

/**
 * Hand-made version-1 ImageFeatures for the pure modules' tests (no colourfulness, no dynamic
 * lines): a mid-grey, mid-contrast picture with a flat light contour and a rising skyline,
 * unless given otherwise.
 */
export function makeV1Features(overrides: Partial<ImageFeatures> = {}): ImageFeatures {
  return {
    version: 1,
    aspectRatio: 1.5,
    brightness: 0.45,
    saturation: 0.3,
    warmth: 0,
    contrast: 0.4,
    texture: 0.3,
    palette: [{ hex: '#777777', lab: [50, 0, 0], weight: 1 }],
    lightContour: Array.from({ length: 16 }, () => 0.5),
    skyline: Array.from({ length: 16 }, (_, i) => i / 15),
    ...overrides,
  };
}

/** The same picture read by today's features (version 2: colourfulness and dynamic lines too). */
export function makeFeatures(overrides: Partial<ImageFeatures> = {}): ImageFeatures {
  return makeV1Features({ version: 2, colourfulness: 0.4, dynamicLines: 0.39, ...overrides });
}
