import type { CocoClass, Expression, SceneType } from './content-analysis.js';

/**
 * What people typically feel about what a picture shows, on Russell's circumplex (valence,
 * arousal, each −1..1; 0 is the OASIS mid-point 4, ±1 its ends 1 and 7). Team-written, not
 * fitted: each entry is our reading of the published norms below, rounded to steps of 0.1 on
 * purpose so nobody mistakes it for a measurement. Nothing here was tuned on affect-dev.
 *
 * Sources that set directions and rough sizes:
 * - Words: Warriner, Kuperman & Brysbaert (2013), "Norms of valence, arousal, and dominance
 *   for 13,915 English lemmas", Behav Res Methods 45:1191–1207: animals such as puppy, kitten,
 *   and foods such as cake and pizza rank among the most pleasant nouns; snake, spider, knife,
 *   gun among the least pleasant and the most arousing; household objects sit at the centre.
 * - Pictures: Lang, Bradley & Cuthbert, IAPS technical manual (2008) and Kurdi et al. (2017,
 *   OASIS): babies, families, puppies and appetising food are pleasant with moderate arousal;
 *   threatening animals, weapons and mutilation unpleasant and arousing; everyday objects and
 *   buildings neutral and calm; landscapes pleasant and calm.
 * - Faces: Russell (1980) "A circumplex model of affect" and Posner, Russell & Peterson (2005)
 *   place the basic emotion words: happy pleasant and moderately active, surprise active and
 *   slightly pleasant, fear and anger unpleasant and highly active, disgust unpleasant and
 *   moderately active, sadness unpleasant and deactivated. Seeing an expression carries part of
 *   it to the viewer (emotional contagion; Hatfield, Cacioppo & Rapson 1993), so the entries
 *   are about two thirds of the word positions.
 * - Scenes: Ulrich (1981) and Kaplan (1995) on restorative natural scenes (vegetation and water:
 *   pleasant, calming); storms and darkness are read as threatening and tense (the same IAPS and
 *   OASIS themes); snow is calm; cities are busier and less pleasant than nature (Hartig et al.
 *   2003); sunsets are among the most pleasant scenery ratings in OASIS's "sunset" theme.
 */
export interface Affect {
  valence: number;
  arousal: number;
}

/** Objects: COCO classes. Vehicles and household objects stay near the centre. */
export const OBJECT_AFFECT: Record<CocoClass, Affect> = {
  person: { valence: 0.1, arousal: 0.1 },
  bicycle: { valence: 0.2, arousal: 0.1 },
  car: { valence: 0, arousal: 0.1 },
  motorcycle: { valence: 0.1, arousal: 0.4 },
  airplane: { valence: 0.1, arousal: 0.3 },
  bus: { valence: 0, arousal: 0 },
  train: { valence: 0.1, arousal: 0.2 },
  truck: { valence: -0.1, arousal: 0.1 },
  boat: { valence: 0.3, arousal: 0 },
  'traffic light': { valence: 0, arousal: 0.1 },
  'fire hydrant': { valence: 0, arousal: 0 },
  'stop sign': { valence: -0.1, arousal: 0.2 },
  'parking meter': { valence: -0.1, arousal: -0.2 },
  bench: { valence: 0.1, arousal: -0.4 },
  bird: { valence: 0.4, arousal: 0 },
  cat: { valence: 0.6, arousal: 0.1 },
  dog: { valence: 0.6, arousal: 0.3 },
  horse: { valence: 0.4, arousal: 0.2 },
  sheep: { valence: 0.4, arousal: -0.3 },
  cow: { valence: 0.2, arousal: -0.3 },
  elephant: { valence: 0.4, arousal: 0.1 },
  // Bears are admired at a distance and feared up close; IAPS bear attacks are unpleasant.
  bear: { valence: -0.1, arousal: 0.5 },
  zebra: { valence: 0.4, arousal: 0 },
  giraffe: { valence: 0.4, arousal: 0 },
  backpack: { valence: 0.1, arousal: 0 },
  umbrella: { valence: 0, arousal: -0.1 },
  handbag: { valence: 0.1, arousal: 0 },
  tie: { valence: 0, arousal: -0.1 },
  suitcase: { valence: 0.1, arousal: 0.1 },
  frisbee: { valence: 0.4, arousal: 0.4 },
  skis: { valence: 0.4, arousal: 0.5 },
  snowboard: { valence: 0.4, arousal: 0.6 },
  'sports ball': { valence: 0.3, arousal: 0.5 },
  kite: { valence: 0.5, arousal: 0.3 },
  'baseball bat': { valence: 0.1, arousal: 0.4 },
  'baseball glove': { valence: 0.2, arousal: 0.2 },
  skateboard: { valence: 0.3, arousal: 0.5 },
  surfboard: { valence: 0.5, arousal: 0.5 },
  'tennis racket': { valence: 0.3, arousal: 0.4 },
  bottle: { valence: 0, arousal: 0 },
  'wine glass': { valence: 0.3, arousal: 0.1 },
  cup: { valence: 0.2, arousal: -0.2 },
  fork: { valence: 0.1, arousal: -0.2 },
  // A knife is among the least pleasant, most arousing object words (a weapon as well as a tool).
  knife: { valence: -0.4, arousal: 0.5 },
  spoon: { valence: 0.1, arousal: -0.3 },
  bowl: { valence: 0.2, arousal: -0.3 },
  banana: { valence: 0.4, arousal: 0 },
  apple: { valence: 0.4, arousal: 0 },
  sandwich: { valence: 0.4, arousal: 0.1 },
  orange: { valence: 0.4, arousal: 0 },
  broccoli: { valence: 0.2, arousal: -0.2 },
  carrot: { valence: 0.3, arousal: -0.1 },
  'hot dog': { valence: 0.4, arousal: 0.2 },
  pizza: { valence: 0.6, arousal: 0.3 },
  donut: { valence: 0.5, arousal: 0.2 },
  cake: { valence: 0.7, arousal: 0.3 },
  chair: { valence: 0, arousal: -0.4 },
  couch: { valence: 0.2, arousal: -0.5 },
  'potted plant': { valence: 0.3, arousal: -0.4 },
  bed: { valence: 0.3, arousal: -0.6 },
  'dining table': { valence: 0.2, arousal: -0.1 },
  toilet: { valence: -0.3, arousal: -0.2 },
  tv: { valence: 0, arousal: 0 },
  laptop: { valence: 0, arousal: -0.1 },
  mouse: { valence: 0, arousal: -0.2 },
  remote: { valence: 0, arousal: -0.2 },
  keyboard: { valence: 0, arousal: -0.2 },
  'cell phone': { valence: 0.1, arousal: 0.1 },
  microwave: { valence: 0, arousal: -0.2 },
  oven: { valence: 0.1, arousal: -0.1 },
  toaster: { valence: 0.1, arousal: -0.2 },
  sink: { valence: -0.1, arousal: -0.3 },
  refrigerator: { valence: 0, arousal: -0.3 },
  book: { valence: 0.3, arousal: -0.3 },
  clock: { valence: 0, arousal: -0.1 },
  vase: { valence: 0.3, arousal: -0.4 },
  scissors: { valence: -0.1, arousal: 0.2 },
  'teddy bear': { valence: 0.6, arousal: -0.1 },
  'hair drier': { valence: 0, arousal: 0 },
  toothbrush: { valence: 0, arousal: -0.3 },
};

/** Expressions read from faces (FER-2013 classes). */
export const EXPRESSION_AFFECT: Record<Expression, Affect> = {
  happy: { valence: 0.6, arousal: 0.3 },
  surprise: { valence: 0.1, arousal: 0.5 },
  neutral: { valence: 0, arousal: -0.2 },
  sad: { valence: -0.5, arousal: -0.2 },
  fear: { valence: -0.5, arousal: 0.5 },
  angry: { valence: -0.5, arousal: 0.5 },
  disgust: { valence: -0.5, arousal: 0.3 },
};

/** Scene types (see content-analysis.ts for how each is read). */
export const SCENE_AFFECT: Record<SceneType, Affect> = {
  sky: { valence: 0.3, arousal: -0.3 },
  water: { valence: 0.3, arousal: -0.3 },
  snow: { valence: 0.2, arousal: -0.4 },
  vegetation: { valence: 0.4, arousal: -0.3 },
  sand: { valence: 0.3, arousal: -0.2 },
  sunset: { valence: 0.6, arousal: -0.1 },
  storm: { valence: -0.4, arousal: 0.4 },
  night: { valence: -0.2, arousal: -0.1 },
  city: { valence: 0, arousal: 0.2 },
  indoor: { valence: 0, arousal: -0.2 },
};
