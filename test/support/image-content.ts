import {
  SCENE_TYPES,
  type ImageContent,
  type SceneType,
} from '../../src/music/perception/content-analysis.js';

/** A hand-made ImageContent for the pure modules' tests: nothing seen unless given. */
export function makeContent(
  parts: {
    objects?: ImageContent['objects'];
    people?: Partial<ImageContent['people']>;
    scores?: Partial<Record<SceneType, number>>;
  } = {},
): ImageContent {
  const scores = Object.fromEntries(SCENE_TYPES.map((t) => [t, parts.scores?.[t] ?? 0])) as Record<
    SceneType,
    number
  >;
  return {
    version: 3,
    objects: parts.objects ?? [],
    people: { count: 0, largestArea: 0, faces: [], ...parts.people },
    scene: {
      scores,
      types: SCENE_TYPES.filter((t) => scores[t] >= 0.35),
      horizon: null,
      regions: { sky: 0, water: 0, snow: 0, vegetation: 0, sand: 0, warmSky: 0, darkSky: 0 },
    },
  };
}
