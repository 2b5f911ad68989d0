import { tf, type Tensor, type Tensor2D, type Tensor4D } from './tf.js';
import {
  BACKBONE_FEATURE_NODE,
  BACKBONE_MID_NODES,
  OBJECT_INPUT_SIZE,
  type VisionModels,
} from './vision-models.js';
import {
  COCO_CLASSES,
  EXPRESSIONS,
  type Box,
  type DetectedFace,
  type DetectedObject,
  type Expression,
} from './content-types.js';

/**
 * The model passes of content perception (content-analysis.ts runs them in order): COCO objects
 * (CenterNet), faces (BlazeFace), each readable face's expression (mini-Xception), and the
 * backbone embedding (MobileNetV2). Each takes the 512-px working copy as a [1, h, w, 3] tensor
 * of 0..255 values and disposes what it creates.
 */

/** CenterNet's scores are low by design (peak heat); 0.25 keeps the clear detections. */
const MIN_OBJECT_SCORE = 0.25;
const OBJECT_IOU = 0.4;
const MAX_OBJECTS = 12;
/**
 * BlazeFace fires on face-like texture in paintings, and on animal faces, below this; a face
 * between MIN_FACE_SCORE and SURE_FACE_SCORE counts only inside a detected person.
 */
const MIN_FACE_SCORE = 0.6;
export const SURE_FACE_SCORE = 0.8;
const FACE_IOU = 0.3;
const MAX_FACES = 6;
/** Faces smaller than this (in the 512-px working copy) are too coarse to read an expression. */
const MIN_EXPRESSION_PX = 24;
const FACE_INPUT = 256;
const EXPRESSION_INPUT = 64;
const BACKBONE_INPUT = 224;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

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
export function contains(outer: Box, inner: Box): boolean {
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

export async function detectObjects(
  models: VisionModels,
  pixels: Tensor4D,
): Promise<DetectedObject[]> {
  const size = OBJECT_INPUT_SIZE;
  const input = tf.image.resizeBilinear(pixels, [size, size]);
  const output = models.objects.execute(input, ['tower_0/detections']) as Tensor;
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

export async function detectFaces(
  models: VisionModels,
  pixels: Tensor4D,
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
    const outputs = models.faces.execute(input) as Tensor[];
    // The PINTO conversion returns scores and boxes for the two anchor strides separately.
    const sorted = [...outputs].sort((a, b) => a.size - b.size);
    const [s384, s512, b384, b512] = sorted as [Tensor, Tensor, Tensor, Tensor];
    return tf.squeeze<Tensor2D>(
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

export async function readExpressions(
  models: VisionModels,
  pixels: Tensor4D,
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
        tf.div<Tensor4D>(pixels, 255),
        boxes,
        readable.map(() => 0),
        [EXPRESSION_INPUT, EXPRESSION_INPUT],
      );
      // ITU-R BT.601 luma, as the model's grey training images; then −1..1.
      const grey = tf.sum(tf.mul(crops, tf.tensor1d([0.2989, 0.587, 0.114])), 3, true);
      return models.expressions.execute(tf.mul(tf.sub(grey, 0.5), 2)) as Tensor;
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

export async function embed(models: VisionModels, pixels: Tensor4D): Promise<Float32Array> {
  // Squashed to a square and scaled to 0..1, exactly as nsfwjs feeds this network. One forward
  // pass gives the final feature vector and the mid-level blocks (averaged over the grid).
  const output = tf.tidy(() => {
    const input = tf.div(tf.image.resizeBilinear(pixels, [BACKBONE_INPUT, BACKBONE_INPUT]), 255);
    const [last, ...mid] = models.backbone.execute(input, [
      BACKBONE_FEATURE_NODE,
      ...BACKBONE_MID_NODES,
    ]) as Tensor[];
    return tf.concat(
      [
        tf.reshape(last as Tensor, [-1]),
        ...mid.map((m) => tf.reshape(tf.mean(m, [0, 1, 2]), [-1])),
      ],
      0,
    );
  });
  const data = (await output.data()) as Float32Array;
  output.dispose();
  return Float32Array.from(data);
}
