import type { ImageFeatures } from './image-features.js';

/**
 * The types and class lists of content perception (content-analysis.ts): what a result holds.
 * Kept apart from the models so that tables, words and steering can import them cheaply.
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
