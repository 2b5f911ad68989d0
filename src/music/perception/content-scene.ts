import type { ImageFeatures, LabPixels } from './image-features.js';
import {
  SCENE_TYPES,
  type CocoClass,
  type DetectedObject,
  type ImageContent,
  type SceneRegions,
  type SceneType,
} from './content-types.js';

/**
 * The scene reading of content perception (content-analysis.ts): surfaces from colour regions
 * read from the top edge down, the horizon, and scene-type scores from those regions, the colour
 * features and the detected objects.
 */

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

const hue = (a: number, b: number): number => ((Math.atan2(b, a) * 180) / Math.PI + 360) % 360;

interface LabPoint {
  l: number;
  chroma: number;
  hue: number;
}

function labAt(lab: LabPixels, x: number, y: number): LabPoint {
  const i = (y * lab.width + x) * 3;
  const a = lab.lab[i + 1] ?? 0;
  const b = lab.lab[i + 2] ?? 0;
  return { l: lab.lab[i] ?? 0, chroma: Math.hypot(a, b), hue: hue(a, b) };
}

const isBluish = (p: LabPoint): boolean => p.chroma > 6 && p.hue >= 190 && p.hue <= 290;
const isWarmSky = (p: LabPoint): boolean =>
  p.chroma > 20 && p.l > 45 && (p.hue < 80 || p.hue > 330);
const isDarkSky = (p: LabPoint): boolean => p.chroma < 10 && p.l >= 25 && p.l <= 55;
const isSky = (p: LabPoint): boolean =>
  (isBluish(p) && p.l > 45) || (p.chroma < 10 && p.l > 70) || isWarmSky(p) || isDarkSky(p);

/**
 * Surfaces from colour and position on the 96-px Lab thumbnail. Sky is what is sky-coloured
 * from the top edge down, column by column (it has to touch the top: a blue wall lower down is
 * not sky); below it, water, snow and sand; vegetation anywhere. Thresholds are CIELAB rules
 * of thumb (clear sky: hue 190–290°, L* > 45; foliage: hue 95–170°; snow: L* > 82, chroma < 8;
 * sand: hue 50–95°, L* 55–85), the colour-region reading classic scene classifiers used before
 * CNNs (Vailaya et al. 2001; Boutell et al. 2004). Set on the team set, not on any test set.
 */
function readRegions(lab: LabPixels): { regions: SceneRegions; skyBottom: number[] } {
  const { width, height } = lab;
  const count = width * height;
  let sky = 0;
  let water = 0;
  let snow = 0;
  let vegetation = 0;
  let sand = 0;
  let warmSky = 0;
  let darkSky = 0;
  const skyBottom: number[] = [];
  for (let x = 0; x < width; x++) {
    let y = 0;
    // Sky may not run the whole height: at most three quarters of a column.
    while (y < height * 0.75 && isSky(labAt(lab, x, y))) {
      const p = labAt(lab, x, y);
      sky++;
      if (isWarmSky(p)) warmSky++;
      else if (isDarkSky(p)) darkSky++;
      y++;
    }
    skyBottom.push(y / height);
    for (let row = 0; row < height; row++) {
      const p = labAt(lab, x, row);
      if (p.chroma > 12 && p.hue >= 95 && p.hue <= 170 && p.l > 12) vegetation++;
      if (row < y) continue;
      if (p.l > 82 && p.chroma < 8) snow++;
      else if (isBluish(p) && p.l > 15 && p.l < 80) water++;
      else if (
        p.chroma >= 12 &&
        p.chroma <= 40 &&
        p.hue >= 50 &&
        p.hue <= 95 &&
        p.l >= 55 &&
        p.l <= 85
      )
        sand++;
    }
  }
  return {
    regions: {
      sky: round3(sky / count),
      water: round3(water / count),
      snow: round3(snow / count),
      vegetation: round3(vegetation / count),
      sand: round3(sand / count),
      warmSky: round3(warmSky / count),
      darkSky: round3(darkSky / count),
    },
    skyBottom,
  };
}

/**
 * The horizon: where the sky ends, when at least half the columns have sky and they agree
 * (interquartile spread ≤ 0.15); otherwise the skyline edge (image-features.ts) when its bands
 * agree; otherwise null.
 */
function readHorizon(skyBottom: number[], features: ImageFeatures): number | null {
  const agreed = (values: number[]): number | null => {
    const sorted = [...values].sort((a, b) => a - b);
    if (sorted.length === 0) return null;
    const q = (p: number): number => sorted[Math.floor(p * (sorted.length - 1))] ?? 0.5;
    return q(0.75) - q(0.25) <= 0.15 ? q(0.5) : null;
  };
  const withSky = skyBottom.filter((b) => b > 0.02);
  if (withSky.length >= skyBottom.length / 2) {
    const bottom = agreed(withSky);
    if (bottom !== null) return round3(1 - bottom);
  }
  const skyline = agreed(features.skyline);
  return skyline === null ? null : round3(skyline);
}

const CITY_OBJECTS: ReadonlySet<CocoClass> = new Set([
  'car',
  'bus',
  'truck',
  'train',
  'traffic light',
  'stop sign',
  'parking meter',
  'fire hydrant',
  'motorcycle',
  'bicycle',
]);
const INDOOR_OBJECTS: ReadonlySet<CocoClass> = new Set([
  'chair',
  'couch',
  'bed',
  'dining table',
  'toilet',
  'tv',
  'laptop',
  'mouse',
  'keyboard',
  'microwave',
  'oven',
  'toaster',
  'sink',
  'refrigerator',
  'book',
  'clock',
  'vase',
  'potted plant',
  'teddy bear',
  'wine glass',
  'cup',
]);

function scoreScene(
  regions: SceneRegions,
  features: ImageFeatures,
  objects: DetectedObject[],
): Record<SceneType, number> {
  const evidence = (set: ReadonlySet<CocoClass>): number =>
    clamp01(objects.filter((o) => set.has(o.label)).reduce((s, o) => s + o.score, 0));
  const outdoors = clamp01((regions.sky + regions.water + regions.vegetation + regions.snow) * 2);
  // Night: a dark frame (mean L* under ~25) with some bright points; a dark painting without
  // lights reads as night too, which is what a listener would say of it.
  const night = clamp01((0.3 - features.brightness) / 0.15);
  // Straight, level and upright lines with little green: built surroundings (Oliva & Torralba
  // 2001: man-made scenes have mostly horizontal/vertical spectral energy).
  const builtLines =
    clamp01((0.36 - (features.dynamicLines ?? 0.39)) / 0.1) * (1 - regions.vegetation);
  return {
    sky: round3(clamp01(regions.sky / 0.3)),
    water: round3(clamp01(regions.water / 0.2)),
    snow: round3(clamp01(regions.snow / 0.2)),
    vegetation: round3(clamp01(regions.vegetation / 0.3)),
    sand: round3(clamp01(regions.sand / 0.15)),
    sunset: round3(clamp01(regions.warmSky / 0.12) * clamp01(regions.sky / 0.1)),
    storm: round3(clamp01(regions.darkSky / 0.25) * clamp01((0.5 - features.brightness) / 0.2)),
    night: round3(night),
    city: round3(clamp01(0.6 * evidence(CITY_OBJECTS) + 0.5 * builtLines)),
    indoor: round3(clamp01(evidence(INDOOR_OBJECTS) * (1 - outdoors) + 0.3 * (1 - outdoors) - 0.1)),
  };
}

export function analyseScene(
  lab: LabPixels,
  features: ImageFeatures,
  objects: DetectedObject[],
): ImageContent['scene'] {
  const { regions, skyBottom } = readRegions(lab);
  const horizon = readHorizon(skyBottom, features);
  const scores = scoreScene(regions, features, objects);
  const types = SCENE_TYPES.filter((t) => scores[t] >= 0.35).sort(
    (a, b) => scores[b] - scores[a] || SCENE_TYPES.indexOf(a) - SCENE_TYPES.indexOf(b),
  );
  return { scores, types, horizon, regions };
}
