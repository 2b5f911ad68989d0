import sharp from 'sharp';
import { hueWarmth, labHue, labToHex, srgbToLab, type Lab } from './colour-space.js';
import { createRng } from '../random.js';

/** Bump when a feature's definition changes, so stored plans can be told apart. */
export const FEATURES_VERSION = 2;

/** Longest side of the analysis thumbnail. Colour statistics settle well below this size. */
const ANALYSIS_SIZE = 96;
/** Guards against decompression bombs; uploads are validated earlier, this is defence in depth. */
const MAX_INPUT_PIXELS = 50_000_000;
const CONTOUR_BANDS = 16;
const PALETTE_SIZE = 5;
/** Lab chroma at which an image counts as fully saturated (sRGB primaries reach 100–130). */
const CHROMA_FULL = 60;
/** Standard deviation of L* at which contrast counts as 1 (a hard black/white split is 50). */
const CONTRAST_FULL = 40;
/** Mean |ΔL*| between neighbour pixels at which texture counts as 1 (very busy detail). */
const TEXTURE_FULL = 12;
/**
 * Hasler & Süsstrunk (2003) colourfulness M at which an image counts as fully colourful; their
 * observers called M ≈ 59 "highly" and ≥ 82 "extremely colourful".
 */
const COLOURFULNESS_FULL = 100;
/** Sobel magnitude (ΔL* per pixel) below which a pixel is flat, not part of a line. */
const LINE_EDGE_MIN = 4;

export interface PaletteColour {
  hex: string;
  /** CIELAB, rounded to 0.1. */
  lab: [number, number, number];
  /** Share of the image's pixels, 0..1. */
  weight: number;
}

/** What the engine perceives in an image. All scalars are rounded to 4 decimals, JSON-safe. */
export interface ImageFeatures {
  version: number;
  /** width / height of the (orientation-corrected) image. */
  aspectRatio: number;
  /** Mean CIELAB L* / 100: 0 black, 1 white. */
  brightness: number;
  /** Mean Lab chroma relative to CHROMA_FULL, clamped 0..1: 0 grey, 1 vivid. */
  saturation: number;
  /** Chroma-weighted hue warmth, −1 cool (blue/cyan) .. +1 warm (red/orange/yellow). */
  warmth: number;
  /** RMS contrast of L*, 0..1. */
  contrast: number;
  /** Edge/detail density, 0..1. */
  texture: number;
  /**
   * Hasler & Süsstrunk (2003) colourfulness / 100, 0..1: spread plus mean of the opponent
   * colour channels. Unlike mean chroma it rewards many different vivid colours over one tint.
   * Absent in version-1 features (use `saturation`).
   */
  colourfulness?: number;
  /**
   * Share of edge strength running diagonally (22.5°–67.5° off the axes), 0..1; about 0.39 in
   * typical photos. Diagonals read as dynamic, horizontals and verticals as static (Itten;
   * Machajdik & Hanbury 2010). Absent in version-1 features.
   */
  dynamicLines?: number;
  /** Dominant colours, heaviest first (deterministic k-means in Lab). */
  palette: PaletteColour[];
  /** Mean lightness of each of 16 vertical bands, left to right, 0..1. */
  lightContour: number[];
  /** Height of the strongest horizontal edge (horizon, skyline, ridge) per band, 0 bottom .. 1 top. */
  skyline: number[];
}

export interface LabPixels {
  width: number;
  height: number;
  /** Interleaved L, a, b per pixel, row-major. */
  lab: Float64Array;
  /** Interleaved 8-bit sRGB per pixel, row-major (colourfulness is defined on sRGB). */
  rgb: Uint8Array;
}

const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Decode, orient, shrink and convert to Lab. Throws on corrupt or oversized input. */
export async function decodeToLab(image: Uint8Array): Promise<LabPixels> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize(ANALYSIS_SIZE, ANALYSIS_SIZE, { fit: 'inside' })
    // Transparent areas are judged as they would be shown on a white page.
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const count = width * height;
  const lab = new Float64Array(count * 3);
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const o = i * channels;
    const r = data[o] ?? 0;
    const g = data[o + 1] ?? 0;
    const b = data[o + 2] ?? 0;
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
    const [lL, lA, lB] = srgbToLab(r, g, b);
    lab[i * 3] = lL;
    lab[i * 3 + 1] = lA;
    lab[i * 3 + 2] = lB;
  }
  return { width, height, lab, rgb };
}

export async function extractImageFeatures(image: Uint8Array): Promise<ImageFeatures> {
  return computeImageFeatures(await decodeToLab(image));
}

export function computeImageFeatures(pixels: LabPixels): ImageFeatures {
  const { width, height, lab } = pixels;
  const count = width * height;
  let sumL = 0;
  let sumL2 = 0;
  let sumChroma = 0;
  let sumWarmChroma = 0;
  for (let i = 0; i < count; i++) {
    const l = lab[i * 3] ?? 0;
    const a = lab[i * 3 + 1] ?? 0;
    const b = lab[i * 3 + 2] ?? 0;
    const chroma = Math.hypot(a, b);
    sumL += l;
    sumL2 += l * l;
    sumChroma += chroma;
    sumWarmChroma += hueWarmth(labHue(a, b)) * chroma;
  }
  const meanL = sumL / count;
  const stdL = Math.sqrt(Math.max(0, sumL2 / count - meanL * meanL));
  const meanChroma = sumChroma / count;
  // Weighting by chroma lets vivid pixels decide; the floor keeps near-grey images near neutral
  // instead of letting faint tints swing the answer to ±1.
  const warmth = sumWarmChroma / Math.max(sumChroma, count * 10);

  return {
    version: FEATURES_VERSION,
    aspectRatio: round4(width / height),
    brightness: round4(clamp(meanL / 100, 0, 1)),
    saturation: round4(clamp(meanChroma / CHROMA_FULL, 0, 1)),
    warmth: round4(clamp(warmth, -1, 1)),
    contrast: round4(clamp(stdL / CONTRAST_FULL, 0, 1)),
    texture: round4(clamp(meanNeighbourDelta(pixels) / TEXTURE_FULL, 0, 1)),
    colourfulness: round4(clamp(colourfulness(pixels.rgb) / COLOURFULNESS_FULL, 0, 1)),
    dynamicLines: round4(diagonalEdgeShare(pixels)),
    palette: extractPalette(pixels, PALETTE_SIZE),
    lightContour: lightContour(pixels, CONTOUR_BANDS).map(round4),
    skyline: skylineContour(pixels, CONTOUR_BANDS).map(round4),
  };
}

function lightnessAt(pixels: LabPixels, x: number, y: number): number {
  return pixels.lab[(y * pixels.width + x) * 3] ?? 0;
}

function meanNeighbourDelta(pixels: LabPixels): number {
  const { width, height } = pixels;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l = lightnessAt(pixels, x, y);
      if (x + 1 < width) {
        sum += Math.abs(lightnessAt(pixels, x + 1, y) - l);
        n++;
      }
      if (y + 1 < height) {
        sum += Math.abs(lightnessAt(pixels, x, y + 1) - l);
        n++;
      }
    }
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * Hasler & Süsstrunk (2003), "Measuring colourfulness in natural images": M = σ_rgyb + 0.3·μ_rgyb
 * over the opponent channels rg = R − G and yb = (R + G)/2 − B. It matched observers' ratings
 * (r ≈ 0.95) and is the usual colourfulness measure in affective image studies.
 */
function colourfulness(rgb: Uint8Array): number {
  const count = rgb.length / 3;
  if (count === 0) return 0;
  let sumRg = 0;
  let sumYb = 0;
  let sumRg2 = 0;
  let sumYb2 = 0;
  for (let i = 0; i < count; i++) {
    const r = rgb[i * 3] ?? 0;
    const g = rgb[i * 3 + 1] ?? 0;
    const b = rgb[i * 3 + 2] ?? 0;
    const rg = r - g;
    const yb = (r + g) / 2 - b;
    sumRg += rg;
    sumYb += yb;
    sumRg2 += rg * rg;
    sumYb2 += yb * yb;
  }
  const meanRg = sumRg / count;
  const meanYb = sumYb / count;
  const varRg = Math.max(0, sumRg2 / count - meanRg * meanRg);
  const varYb = Math.max(0, sumYb2 / count - meanYb * meanYb);
  return Math.sqrt(varRg + varYb) + 0.3 * Math.hypot(meanRg, meanYb);
}

/**
 * Share of Sobel edge strength whose orientation is diagonal (within 22.5° of 45°/135°). A flat
 * image has no edges and reads as static (0).
 */
function diagonalEdgeShare(pixels: LabPixels): number {
  const { width, height } = pixels;
  let diagonal = 0;
  let total = 0;
  const at = (x: number, y: number): number => lightnessAt(pixels, x, y);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const gx =
        at(x + 1, y - 1) +
        2 * at(x + 1, y) +
        at(x + 1, y + 1) -
        (at(x - 1, y - 1) + 2 * at(x - 1, y) + at(x - 1, y + 1));
      const gy =
        at(x - 1, y + 1) +
        2 * at(x, y + 1) +
        at(x + 1, y + 1) -
        (at(x - 1, y - 1) + 2 * at(x, y - 1) + at(x + 1, y - 1));
      // The Sobel kernels weigh 8 pixel differences: /8 gives ΔL* per pixel.
      const magnitude = Math.hypot(gx, gy) / 8;
      if (magnitude < LINE_EDGE_MIN) continue;
      // Angle folded into [0°, 90°): 45° is diagonal, 0° and 90° are horizontal/vertical edges.
      const angle = Math.abs(Math.atan2(gy, gx)) % (Math.PI / 2);
      if (Math.abs(angle - Math.PI / 4) < Math.PI / 8) diagonal += magnitude;
      total += magnitude;
    }
  }
  return total === 0 ? 0 : diagonal / total;
}

function bandRange(band: number, bands: number, width: number): [number, number] {
  const x0 = Math.floor((band * width) / bands);
  const x1 = Math.max(x0 + 1, Math.floor(((band + 1) * width) / bands));
  return [x0, Math.min(x1, width)];
}

function lightContour(pixels: LabPixels, bands: number): number[] {
  const out: number[] = [];
  for (let band = 0; band < bands; band++) {
    const [x0, x1] = bandRange(band, bands, pixels.width);
    let sum = 0;
    for (let x = x0; x < x1; x++) {
      for (let y = 0; y < pixels.height; y++) sum += lightnessAt(pixels, x, y);
    }
    out.push(clamp(sum / ((x1 - x0) * pixels.height) / 100, 0, 1));
  }
  return out;
}

/**
 * Per band, the row where lightness changes most from top to bottom (smoothed over 3 rows):
 * the horizon, a mountain ridge, a roofline. Flat bands fall back to the middle.
 */
function skylineContour(pixels: LabPixels, bands: number): number[] {
  const { height } = pixels;
  const out: number[] = [];
  for (let band = 0; band < bands; band++) {
    const [x0, x1] = bandRange(band, bands, pixels.width);
    const profile = new Float64Array(height);
    for (let y = 0; y < height; y++) {
      let sum = 0;
      for (let x = x0; x < x1; x++) sum += lightnessAt(pixels, x, y);
      profile[y] = sum / (x1 - x0);
    }
    let bestRow = -1;
    let bestEdge = 4; // ΔL* below this is not an edge worth following.
    for (let y = 2; y < height - 2; y++) {
      const edge = Math.abs((profile[y + 2] ?? 0) - (profile[y - 2] ?? 0)) / 2;
      if (edge > bestEdge) {
        bestEdge = edge;
        bestRow = y;
      }
    }
    out.push(bestRow < 0 ? 0.5 : clamp(1 - bestRow / (height - 1), 0, 1));
  }
  return out;
}

/**
 * k-means in Lab with deterministic seeding (farthest-point from the mean, fixed-seed
 * tie-breaking) so the palette never changes between runs for the same image.
 */
function extractPalette(pixels: LabPixels, k: number): PaletteColour[] {
  const count = pixels.width * pixels.height;
  const lab = pixels.lab;
  const dist2 = (i: number, c: Lab): number => {
    const dl = (lab[i * 3] ?? 0) - c[0];
    const da = (lab[i * 3 + 1] ?? 0) - c[1];
    const db = (lab[i * 3 + 2] ?? 0) - c[2];
    return dl * dl + da * da + db * db;
  };
  const pixelLab = (i: number): Lab => [lab[i * 3] ?? 0, lab[i * 3 + 1] ?? 0, lab[i * 3 + 2] ?? 0];

  // k-means++ style seeding with a fixed-seed generator: spreads centres over distinct colours.
  const rng = createRng(0x5eed);
  const centres: Lab[] = [pixelLab(Math.floor(count / 2))];
  const nearest = new Float64Array(count).fill(Infinity);
  while (centres.length < k) {
    const last = centres[centres.length - 1] as Lab;
    let total = 0;
    for (let i = 0; i < count; i++) {
      nearest[i] = Math.min(nearest[i] ?? Infinity, dist2(i, last));
      total += nearest[i] ?? 0;
    }
    if (total === 0) break; // fewer distinct colours than k
    let roll = rng.next() * total;
    let chosen = count - 1;
    for (let i = 0; i < count; i++) {
      roll -= nearest[i] ?? 0;
      if (roll <= 0) {
        chosen = i;
        break;
      }
    }
    centres.push(pixelLab(chosen));
  }

  const assignment = new Int32Array(count);
  for (let iteration = 0; iteration < 12; iteration++) {
    const sums = centres.map(() => [0, 0, 0, 0]);
    let moved = false;
    for (let i = 0; i < count; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < centres.length; c++) {
        const d = dist2(i, centres[c] as Lab);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (assignment[i] !== best) moved = true;
      assignment[i] = best;
      const s = sums[best] as number[];
      s[0] = (s[0] ?? 0) + (lab[i * 3] ?? 0);
      s[1] = (s[1] ?? 0) + (lab[i * 3 + 1] ?? 0);
      s[2] = (s[2] ?? 0) + (lab[i * 3 + 2] ?? 0);
      s[3] = (s[3] ?? 0) + 1;
    }
    for (let c = 0; c < centres.length; c++) {
      const [sl = 0, sa = 0, sb = 0, n = 0] = sums[c] ?? [];
      if (n > 0) centres[c] = [sl / n, sa / n, sb / n];
    }
    if (!moved && iteration > 0) break;
  }

  const weights = new Float64Array(centres.length);
  for (let i = 0; i < count; i++)
    weights[assignment[i] ?? 0] = (weights[assignment[i] ?? 0] ?? 0) + 1;
  return centres
    .map((centre, c) => ({ centre, weight: (weights[c] ?? 0) / count }))
    .filter((entry) => entry.weight > 0)
    .sort((x, y) => y.weight - x.weight || x.centre[0] - y.centre[0])
    .map(({ centre, weight }) => {
      const rounded: [number, number, number] = [
        Math.round(centre[0] * 10) / 10,
        Math.round(centre[1] * 10) / 10,
        Math.round(centre[2] * 10) / 10,
      ];
      return { hex: labToHex(rounded), lab: rounded, weight: round4(weight) };
    });
}
