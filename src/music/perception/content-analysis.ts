import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  computeImageFeatures,
  decodeToLab,
  type ImageFeatures,
  type LabPixels,
} from './image-features.js';
import {
  BACKBONE_FEATURE_NODE,
  BACKBONE_MID_NODES,
  getVisionModels,
  OBJECT_INPUT_SIZE,
  type VisionModels,
} from './vision-models.js';

/**
 * Content perception: what is in the picture: objects, people and their faces' expressions,
 * and the kind of scene, as one typed, JSON-safe result.
 *
 * API
 * - `analyseImageContent(image) → Promise<ImageContent>`: objects (COCO class, confidence, share
 *   of the image), people and faces with an expression, scene scores and regions. Deterministic
 *   for the same bytes; results are cached per image (SHA-256 of the bytes) in this thread.
 * - `perceiveContent(image) → Promise<ContentPerception>`: the same plus the colour features and
 *   the backbone embedding the learned affect head reads (affect-model.ts). The embedding is a
 *   description of the whole picture, never of a face, and must not be stored.
 * - `describeScene` is in content-words.ts, `steerMusic` in content-steering.ts, affect in
 *   affect-model.ts; `perceiveImage` (image-perception.ts) bundles them for the planner.
 *
 * Privacy: faces are located to read their expression only. No identity, landmark set, face
 * embedding or crop leaves this module, and nothing is written anywhere; the cache holds the
 * typed result in memory for the life of the thread, keyed by a hash, and is bounded.
 *
 * Cost (2-core machine, wasm backend, after warm-up): ≈ 130–160 ms per image, most of it
 * CenterNet (≈ 65 ms) and the backbone (≈ 40 ms); models ≈ 1 s to load, once per thread.
 */

/** Bump when a field's meaning or a detector's threshold changes. */
export const CONTENT_VERSION = 4;

export const COCO_CLASSES = [
  'person',
  'bicycle',
  'car',
  'motorcycle',
  'airplane',
  'bus',
  'train',
  'truck',
  'boat',
  'traffic light',
  'fire hydrant',
  'stop sign',
  'parking meter',
  'bench',
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
  'backpack',
  'umbrella',
  'handbag',
  'tie',
  'suitcase',
  'frisbee',
  'skis',
  'snowboard',
  'sports ball',
  'kite',
  'baseball bat',
  'baseball glove',
  'skateboard',
  'surfboard',
  'tennis racket',
  'bottle',
  'wine glass',
  'cup',
  'fork',
  'knife',
  'spoon',
  'bowl',
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
  'chair',
  'couch',
  'potted plant',
  'bed',
  'dining table',
  'toilet',
  'tv',
  'laptop',
  'mouse',
  'remote',
  'keyboard',
  'cell phone',
  'microwave',
  'oven',
  'toaster',
  'sink',
  'refrigerator',
  'book',
  'clock',
  'vase',
  'scissors',
  'teddy bear',
  'hair drier',
  'toothbrush',
] as const;
export type CocoClass = (typeof COCO_CLASSES)[number];

/** The seven FER-2013 classes of the expression model, in its output order. */
export const EXPRESSIONS = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
] as const;
export type Expression = (typeof EXPRESSIONS)[number];

export const SCENE_TYPES = [
  'sky',
  'water',
  'snow',
  'vegetation',
  'sand',
  'sunset',
  'storm',
  'night',
  'city',
  'indoor',
] as const;
export type SceneType = (typeof SCENE_TYPES)[number];

/** [x, y, width, height] as fractions of the image, origin top left. */
export type Box = [number, number, number, number];

export interface DetectedObject {
  label: CocoClass;
  /** Detector confidence 0..1. */
  score: number;
  /** Share of the image the box covers, 0..1. */
  area: number;
  box: Box;
}

export interface DetectedFace {
  score: number;
  area: number;
  box: Box;
  /** Most likely expression, or null when the face is too small to read (< 24 px). */
  expression: Expression | null;
  /** Probabilities of the seven expressions (sum ≈ 1); empty when `expression` is null. */
  expressions: Partial<Record<Expression, number>>;
}

export interface SceneRegions {
  /** Share of all pixels read as each kind of surface, 0..1 (they need not sum to 1). */
  sky: number;
  water: number;
  snow: number;
  vegetation: number;
  sand: number;
  /** Sky pixels that are warm and bright (dawn, dusk). */
  warmSky: number;
  /** Sky pixels that are dark grey (overcast, storm). */
  darkSky: number;
}

export interface ImageContent {
  version: number;
  /** Detections above MIN_OBJECT_SCORE, after non-maximum suppression, strongest first. */
  objects: DetectedObject[];
  people: {
    /** People seen: the larger of person detections and faces. */
    count: number;
    /** Largest share of the image one person (or face) covers: a portrait is ≥ ~0.25. */
    largestArea: number;
    faces: DetectedFace[];
  };
  scene: {
    /** Each scene type's strength, 0..1 (independent: a beach at sunset has several). */
    scores: Record<SceneType, number>;
    /** The strongest scene types (score ≥ 0.35), strongest first. */
    types: SceneType[];
    /** Height of the horizon or skyline, 0 bottom .. 1 top, or null when none is clear. */
    horizon: number | null;
    regions: SceneRegions;
  };
}

export interface ContentPerception {
  content: ImageContent;
  features: ImageFeatures;
  /**
   * MobileNetV2 (α 1.4) embedding for affect-model.ts only, never stored: the 1792-d global-pool
   * vector, then the grid means of four intermediate blocks (2288 values in all).
   */
  embedding: Float32Array;
}

/** CenterNet's scores are low by design (peak heat); 0.25 keeps the clear detections. */
const MIN_OBJECT_SCORE = 0.25;
const OBJECT_IOU = 0.4;
const MAX_OBJECTS = 12;
/**
 * BlazeFace fires on face-like texture in paintings, and on animal faces, below this; a face
 * between MIN_FACE_SCORE and SURE_FACE_SCORE counts only inside a detected person.
 */
const MIN_FACE_SCORE = 0.6;
const SURE_FACE_SCORE = 0.8;
const FACE_IOU = 0.3;
const MAX_FACES = 6;
/** Faces smaller than this (in the 512-px working copy) are too coarse to read an expression. */
const MIN_EXPRESSION_PX = 24;
const WORKING_SIZE = 512;
const FACE_INPUT = 256;
const EXPRESSION_INPUT = 64;
const BACKBONE_INPUT = 224;
const MAX_INPUT_PIXELS = 50_000_000;
const CACHE_SIZE = 32;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

async function decodeWorking(image: Uint8Array): Promise<Raw> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize(WORKING_SIZE, WORKING_SIZE, { fit: 'inside' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function iou(a: Box, b: Box): number {
  const x0 = Math.max(a[0], b[0]);
  const y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union <= 0 ? 0 : inter / union;
}

/** Greedy non-maximum suppression in plain JS: deterministic order (score, then index). */
function suppress<T extends { score: number; box: Box }>(items: T[], threshold: number): T[] {
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((x, y) => y.item.score - x.item.score || x.index - y.index)
    .map((x) => x.item);
  const kept: T[] = [];
  for (const item of sorted) {
    if (kept.every((k) => iou(k.box, item.box) < threshold)) kept.push(item);
  }
  return kept;
}

/** Whether most of `inner` lies inside `outer`. */
function contains(outer: Box, inner: Box): boolean {
  const x0 = Math.max(outer[0], inner[0]);
  const y0 = Math.max(outer[1], inner[1]);
  const x1 = Math.min(outer[0] + outer[2], inner[0] + inner[2]);
  const y1 = Math.min(outer[1] + outer[3], inner[1] + inner[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inner[2] * inner[3] > 0 && inter / (inner[2] * inner[3]) >= 0.6;
}

function clipBox(x0: number, y0: number, x1: number, y1: number): Box {
  const left = clamp01(Math.min(x0, x1));
  const top = clamp01(Math.min(y0, y1));
  const right = clamp01(Math.max(x0, x1));
  const bottom = clamp01(Math.max(y0, y1));
  return [left, top, right - left, bottom - top];
}

const roundBox = (box: Box): Box => [
  round3(box[0]),
  round3(box[1]),
  round3(box[2]),
  round3(box[3]),
];

async function detectObjects(models: VisionModels, pixels: tf.Tensor4D): Promise<DetectedObject[]> {
  const size = OBJECT_INPUT_SIZE;
  const input = tf.image.resizeBilinear(pixels, [size, size]);
  const output = models.objects.execute(input, ['tower_0/detections']) as tf.Tensor;
  const rows = ((await output.array()) as number[][][])[0] ?? [];
  tf.dispose([input, output]);
  const found: DetectedObject[] = [];
  for (const row of rows) {
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0, score = 0, cls = -1] = row;
    const label = COCO_CLASSES[Math.round(cls)];
    if (!label || !(score >= MIN_OBJECT_SCORE)) continue;
    const box = clipBox(x0 / size, y0 / size, x1 / size, y1 / size);
    if (box[2] <= 0 || box[3] <= 0) continue;
    found.push({ label, score, area: box[2] * box[3], box });
  }
  return suppress(found, OBJECT_IOU)
    .slice(0, MAX_OBJECTS)
    .map((o) => ({ ...o, score: round3(o.score), area: round3(o.area), box: roundBox(o.box) }));
}

/** BlazeFace anchors for a 256-px input: 2 per cell at stride 16, 6 per cell at stride 32. */
function faceAnchors(): [number, number][] {
  const anchors: [number, number][] = [];
  for (const [stride, perCell] of [
    [16, 2],
    [32, 6],
  ] as const) {
    const cells = Math.ceil(FACE_INPUT / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let n = 0; n < perCell; n++) anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
      }
    }
  }
  return anchors;
}
const FACE_ANCHORS = faceAnchors();

async function detectFaces(
  models: VisionModels,
  pixels: tf.Tensor4D,
  width: number,
  height: number,
): Promise<{ score: number; box: Box }[]> {
  // Letterboxed to a square so faces keep their shape (the model was trained on square crops).
  const side = Math.max(width, height);
  const padX = Math.floor((side - width) / 2);
  const padY = Math.floor((side - height) / 2);
  const result = tf.tidy(() => {
    const padded = tf.pad(pixels, [
      [0, 0],
      [padY, side - height - padY],
      [padX, side - width - padX],
      [0, 0],
    ]);
    const input = tf.sub(
      tf.div(tf.image.resizeBilinear(padded, [FACE_INPUT, FACE_INPUT]), 127.5),
      1,
    );
    const outputs = models.faces.execute(input) as tf.Tensor[];
    // The PINTO conversion returns scores and boxes for the two anchor strides separately.
    const sorted = [...outputs].sort((a, b) => a.size - b.size);
    const [s384, s512, b384, b512] = sorted as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.squeeze<tf.Tensor2D>(
      tf.concat([tf.concat([s512, b512], 2), tf.concat([s384, b384], 2)], 1),
      [0],
    );
  });
  const rows = await result.array();
  result.dispose();
  const faces: { score: number; box: Box }[] = [];
  rows.forEach((row, i) => {
    const logit = row[0] ?? -Infinity;
    const score = 1 / (1 + Math.exp(-logit));
    if (!(score >= MIN_FACE_SCORE)) return;
    const [ax = 0, ay = 0] = FACE_ANCHORS[i] ?? [];
    const cx = (ax + (row[1] ?? 0)) / FACE_INPUT;
    const cy = (ay + (row[2] ?? 0)) / FACE_INPUT;
    const w = (row[3] ?? 0) / FACE_INPUT;
    const h = (row[4] ?? 0) / FACE_INPUT;
    // From the padded square back to the image's own fractions.
    const toX = (v: number): number => (v * side - padX) / width;
    const toY = (v: number): number => (v * side - padY) / height;
    const box = clipBox(toX(cx - w / 2), toY(cy - h / 2), toX(cx + w / 2), toY(cy + h / 2));
    if (box[2] > 0 && box[3] > 0) faces.push({ score, box });
  });
  return suppress(faces, FACE_IOU).slice(0, MAX_FACES);
}

async function readExpressions(
  models: VisionModels,
  pixels: tf.Tensor4D,
  width: number,
  height: number,
  faces: { score: number; box: Box }[],
): Promise<DetectedFace[]> {
  const readable = faces.filter(
    (f) => Math.min(f.box[2] * width, f.box[3] * height) >= MIN_EXPRESSION_PX,
  );
  let probabilities: number[][] = [];
  if (readable.length > 0) {
    const output = tf.tidy(() => {
      // A square crop a little larger than the detector's box: FER-2013 faces include the brow
      // and chin. Normalised [y1, x1, y2, x2] as cropAndResize wants.
      const boxes = readable.map((f) => {
        const [x, y, w, h] = f.box;
        const cx = (x + w / 2) * width;
        const cy = (y + h / 2) * height;
        const half = (Math.max(w * width, h * height) * 1.15) / 2;
        return [
          (cy - half) / height,
          (cx - half) / width,
          (cy + half) / height,
          (cx + half) / width,
        ];
      });
      const crops = tf.image.cropAndResize(
        tf.div<tf.Tensor4D>(pixels, 255),
        boxes,
        readable.map(() => 0),
        [EXPRESSION_INPUT, EXPRESSION_INPUT],
      );
      // ITU-R BT.601 luma, as the model's grey training images; then −1..1.
      const grey = tf.sum(tf.mul(crops, tf.tensor1d([0.2989, 0.587, 0.114])), 3, true);
      return models.expressions.execute(tf.mul(tf.sub(grey, 0.5), 2)) as tf.Tensor;
    });
    probabilities = (await output.array()) as number[][];
    output.dispose();
  }
  return faces.map((face) => {
    const index = readable.indexOf(face);
    const p = index >= 0 ? probabilities[index] : undefined;
    const expressions: Partial<Record<Expression, number>> = {};
    let expression: Expression | null = null;
    if (p) {
      let best = -1;
      EXPRESSIONS.forEach((name, i) => {
        const value = p[i] ?? 0;
        expressions[name] = round3(value);
        if (value > best) {
          best = value;
          expression = name;
        }
      });
    }
    return {
      score: round3(face.score),
      area: round3(face.box[2] * face.box[3]),
      box: roundBox(face.box),
      expression,
      expressions,
    };
  });
}

async function embed(models: VisionModels, pixels: tf.Tensor4D): Promise<Float32Array> {
  // Squashed to a square and scaled to 0..1, exactly as nsfwjs feeds this network. One forward
  // pass gives the final feature vector and the mid-level blocks (averaged over the grid).
  const output = tf.tidy(() => {
    const input = tf.div(tf.image.resizeBilinear(pixels, [BACKBONE_INPUT, BACKBONE_INPUT]), 255);
    const [last, ...mid] = models.backbone.execute(input, [
      BACKBONE_FEATURE_NODE,
      ...BACKBONE_MID_NODES,
    ]) as tf.Tensor[];
    return tf.concat(
      [
        tf.reshape(last as tf.Tensor, [-1]),
        ...mid.map((m) => tf.reshape(tf.mean(m, [0, 1, 2]), [-1])),
      ],
      0,
    );
  });
  const data = (await output.data()) as Float32Array;
  output.dispose();
  return Float32Array.from(data);
}

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

function analyseScene(
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

async function runPerception(image: Uint8Array): Promise<ContentPerception> {
  const [raw, lab, models] = await Promise.all([
    decodeWorking(image),
    decodeToLab(image),
    getVisionModels(),
  ]);
  const features = computeImageFeatures(lab);
  const pixels = tf.tensor4d(new Float32Array(raw.data), [1, raw.height, raw.width, 3]);
  try {
    const objects = await detectObjects(models, pixels);
    const personBoxes = objects.filter((o) => o.label === 'person').map((o) => o.box);
    const faceBoxes = (await detectFaces(models, pixels, raw.width, raw.height)).filter(
      (f) => f.score >= SURE_FACE_SCORE || personBoxes.some((p) => contains(p, f.box)),
    );
    const faces = await readExpressions(models, pixels, raw.width, raw.height, faceBoxes);
    const embedding = await embed(models, pixels);
    const persons = objects.filter((o) => o.label === 'person' && o.score >= 0.3);
    const content: ImageContent = {
      version: CONTENT_VERSION,
      objects,
      people: {
        count: Math.max(persons.length, faces.length),
        largestArea: round3(
          Math.max(0, ...persons.map((p) => p.area), ...faces.map((f) => f.area)),
        ),
        faces,
      },
      scene: analyseScene(lab, features, objects),
    };
    return { content: deepFreeze(content), features: deepFreeze(features), embedding };
  } finally {
    pixels.dispose();
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Bounded, per-thread; the key is a hash so the cache holds no image bytes. */
const cache = new Map<string, Promise<ContentPerception>>();

/** Perceives an image once per thread per distinct bytes (see the module header). */
export function perceiveContent(image: Uint8Array): Promise<ContentPerception> {
  const key = createHash('sha256').update(image).digest('hex');
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place so the least recently used entry is the one evicted.
    cache.delete(key);
    cache.set(key, hit);
    return hit.then((p) => ({ ...p, embedding: Float32Array.from(p.embedding) }));
  }
  const pending = runPerception(image);
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return pending.then((p) => ({ ...p, embedding: Float32Array.from(p.embedding) }));
}

/** What is in the picture; see the module header. Throws on bytes sharp cannot decode. */
export async function analyseImageContent(image: Uint8Array): Promise<ImageContent> {
  return (await perceiveContent(image)).content;
}

/** Empties this thread's result cache (tests; or a worker that wants its memory back). */
export function clearContentCache(): void {
  cache.clear();
}

/** Loads the models (≈ 1 s) so the first image does not pay for it. */
export async function prepareContentAnalysis(): Promise<void> {
  await getVisionModels();
}
