/**
 * sRGB ↔ CIELAB (D65). Perception works in Lab because its distances and lightness roughly follow
 * human judgement, which is what the colour–emotion studies measured (not raw RGB).
 */

export type Lab = readonly [l: number, a: number, b: number];

// Reference white D65, 2° observer.
const WHITE_X = 0.95047;
const WHITE_Y = 1.0;
const WHITE_Z = 1.08883;

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

/** sRGB 8-bit component → linear light, tabulated because it runs for every pixel. */
const SRGB_TO_LINEAR: Float64Array = (() => {
  const table = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    table[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return table;
})();

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

export function srgbToLab(r: number, g: number, b: number): Lab {
  const rl = SRGB_TO_LINEAR[r & 255] ?? 0;
  const gl = SRGB_TO_LINEAR[g & 255] ?? 0;
  const bl = SRGB_TO_LINEAR[b & 255] ?? 0;
  const x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / WHITE_X;
  const y = (0.2126729 * rl + 0.7151522 * gl + 0.072175 * bl) / WHITE_Y;
  const z = (0.0193339 * rl + 0.119192 * gl + 0.9503041 * bl) / WHITE_Z;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

function linearToSrgb8(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.max(0, Math.min(255, Math.round(v * 255)));
}

export function labToSrgb(lab: Lab): [number, number, number] {
  const [l, a, b] = lab;
  const fy = (l + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (f: number): number => (f ** 3 > EPSILON ? f ** 3 : (116 * f - 16) / KAPPA);
  const x = inv(fx) * WHITE_X;
  const y = (l > KAPPA * EPSILON ? fy ** 3 : l / KAPPA) * WHITE_Y;
  const z = inv(fz) * WHITE_Z;
  const rl = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const gl = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  return [linearToSrgb8(rl), linearToSrgb8(gl), linearToSrgb8(bl)];
}

export function labToHex(lab: Lab): string {
  return `#${labToSrgb(lab)
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

/** Hue angle in degrees [0, 360) of a Lab colour. */
export function labHue(a: number, b: number): number {
  const h = (Math.atan2(b, a) * 180) / Math.PI;
  return h < 0 ? h + 360 : h;
}

/**
 * How warm a hue reads, from −1 (cool) to +1 (warm). Interpolated over Lab hue angle. Reds,
 * oranges and yellows are warm, cyans and blues cool, greens and violets near neutral. Note sRGB
 * blue sits at ~306° in Lab, close to violet, so the cool pole is drawn wide (200–300°).
 */
const WARMTH_BY_HUE: readonly (readonly [hue: number, warmth: number])[] = [
  [0, 0.6],
  [40, 1],
  [75, 1],
  [100, 0.6],
  [135, -0.1],
  [180, -0.6],
  [210, -0.9],
  [260, -1],
  [300, -0.8],
  [335, 0],
  [360, 0.6],
];

export function hueWarmth(hue: number): number {
  for (let i = 1; i < WARMTH_BY_HUE.length; i++) {
    const [h1, w1] = WARMTH_BY_HUE[i] ?? [360, 0.6];
    if (hue <= h1) {
      const [h0, w0] = WARMTH_BY_HUE[i - 1] ?? [0, 0.6];
      return w0 + ((w1 - w0) * (hue - h0)) / (h1 - h0);
    }
  }
  return 0.6;
}
