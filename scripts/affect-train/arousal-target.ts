/**
 * Arousal on OASIS's definition, and the small cue vector an arousal reading may use.
 *
 * OASIS (Kurdi, Lozano & Banaji 2017) asked for arousal as "the intensity of the affective
 * response that the image evokes"; our rubric (docs/affect-rubric.md) asked for calm vs
 * exciting and rated beautiful, moving scenes as calm (a sunset 1–2), so the team's arousal
 * label measures energy, not intensity. Until the set is re-rated under rubric v2, the OASIS-
 * definition target is the mean of the team's arousal and the intensity its own valence label
 * implies (distance from neutral, |V − 4| mapped onto 1..7 by 1 + 2·|V − 4|), both team labels:
 *   A_oasis = ½·A_team + ½·(1 + 2·|V_team − 4|), on the −1..1 scale ½·a + |v| − ½.
 * Equal halves because nothing on the team set can say which half OASIS raters weigh more.
 * Images re-rated under rubric v2 (labels.tsv column arousal_v2) use that rating instead.
 */
import type { CachedPerception } from './perception-cache.js';

export function arousalTarget(label: {
  valence: number;
  arousal: number;
  arousalV2?: number;
}): number {
  // A rating made under rubric v2 already measures intensity: it replaces the re-expression.
  if (label.arousalV2 !== undefined) return label.arousalV2;
  return 0.5 * label.arousal + Math.abs(label.valence) - 0.5;
}

/** Named, literature-backed arousal cues (see the study's header); one fixed order. */
export function cueVector(p: CachedPerception): Float32Array {
  const f = p.features;
  const c = p.content;
  const faces = c.people.faces;
  const negative = Math.max(
    0,
    ...faces.map((x) => (x.expressions.fear ?? 0) + (x.expressions.angry ?? 0)),
  );
  const surprise = Math.max(0, ...faces.map((x) => x.expressions.surprise ?? 0));
  const happy = Math.max(0, ...faces.map((x) => x.expressions.happy ?? 0));
  const objectArea = c.objects.reduce((s, o) => s + o.score * o.area, 0);
  return Float32Array.from([
    f.brightness,
    f.saturation,
    f.colourfulness ?? f.saturation,
    f.contrast,
    f.texture,
    f.dynamicLines ?? 0.39,
    f.warmth,
    Math.log1p(c.people.count),
    Math.sqrt(c.people.largestArea),
    Math.log1p(faces.length),
    Math.sqrt(Math.max(0, ...faces.map((x) => x.area))),
    negative,
    surprise,
    happy,
    Math.log1p(c.objects.length),
    Math.sqrt(objectArea),
    c.scene.scores.storm,
    c.scene.scores.night,
    c.scene.scores.city,
    c.scene.scores.indoor,
    c.scene.scores.vegetation,
    c.scene.scores.water,
    c.scene.scores.sky,
  ]);
}
