/**
 * Why does arousal not carry over? A study on the team set only (affect-dev is never read):
 * cross-validated ρ of arousal readings, with whole sources held out, against the team's arousal
 * label and against the label re-expressed on OASIS's own definition of arousal (the intensity
 * of the affective response, Kurdi et al. 2017; see docs/affect-rubric.md, "Arousal v2").
 *
 * Run: npx tsx scripts/affect-train/arousal-study.ts (needs the perception cache that
 * `npm run derive:affect` fills).
 */
import { colourAffect, contentAffect } from '../../src/music/perception/affect-model.js';
import { spearman } from '../../bench/rank-correlation.js';
import { readPackagedImage } from './debian-images.js';
import {
  fitRidgeWithGram,
  fitStandardiser,
  gramMatrix,
  predictRidge,
  projectOut,
  sourceDirections,
  standardise,
} from './fit.js';
import { cachedPerception } from './perception-cache.js';
import { readTeamSet } from './team-set.js';
import { arousalTarget, cueVector } from './arousal-target.js';

const team = readTeamSet();
const perceptions = [];
for (const image of team) perceptions.push(await cachedPerception(readPackagedImage(image.path)));
const groups = [...new Set(team.map((t) => t.group))].sort();
const folds = team.map((t) => groups.indexOf(t.group));
const photo = (g: string): boolean =>
  g.startsWith('endless-sky') || g.startsWith('wallpaper') || g.startsWith('gcompris');

const targets = {
  teamArousal: team.map((t) => t.arousal),
  extremity: team.map((t) => Math.abs(t.valence)),
  oasisArousal: team.map((t) => arousalTarget(t)),
  valence: team.map((t) => t.valence),
};
console.log(
  'label relations: ρ(team A, |V|) =',
  spearman(targets.teamArousal, targets.extremity).toFixed(3),
  ' ρ(team A, V) =',
  spearman(targets.teamArousal, targets.valence).toFixed(3),
);

const LAMBDAS = [1000, 10_000, 100_000];
const K = [0, 2];

/** Out-of-fold ridge predictions on a feature matrix, source-out folds. */
function oof(rows: Float32Array[], y: number[], k: number, lambda: number): number[] {
  const out = new Array<number>(team.length).fill(0);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  for (let f = 0; f < groups.length; f++) {
    const train = team.map((_, i) => i).filter((i) => folds[i] !== f);
    const test = team.map((_, i) => i).filter((i) => folds[i] === f);
    const s = fitStandardiser(train.map((i) => rows[i] as Float32Array));
    const zTrain = standardise(
      train.map((i) => rows[i] as Float32Array),
      s,
    );
    const zTest = standardise(
      test.map((i) => rows[i] as Float32Array),
      s,
    );
    const dirs = sourceDirections(
      zTrain,
      train.map((i) => team[i]?.group ?? ''),
      k,
    );
    const pTrain = projectOut(zTrain, dirs);
    const pTest = projectOut(zTest, dirs);
    const model = fitRidgeWithGram(
      pTrain,
      gramMatrix(pTrain),
      train.map((i) => y[i] ?? 0),
      lambda,
    );
    model.bias = mean;
    test.forEach((i, t) => (out[i] = predictRidge(model, pTest[t] as Float64Array)));
  }
  return out;
}

const report = (name: string, pred: number[]): void => {
  const photos = team.map((t, i) => (photo(t.group) ? i : -1)).filter((i) => i >= 0);
  const within = groups
    .map((g) => team.map((t, i) => (t.group === g ? i : -1)).filter((i) => i >= 0))
    .filter((idx) => idx.length >= 12)
    .map((idx) =>
      spearman(
        idx.map((i) => targets.oasisArousal[i] ?? 0),
        idx.map((i) => pred[i] ?? 0),
      ),
    );
  const line = Object.entries(targets)
    .filter(([t]) => t !== 'valence')
    .map(([t, y]) => `${t} ${spearman(y, pred).toFixed(3)}`)
    .join('  ');
  const ph = spearman(
    photos.map((i) => targets.oasisArousal[i] ?? 0),
    photos.map((i) => pred[i] ?? 0),
  );
  const w = within.reduce((s, v) => s + v, 0) / within.length;
  console.log(
    `${name.padEnd(34)} ${line}  photos→oasisA ${ph.toFixed(3)}  within-source ${w.toFixed(3)}`,
  );
};

report(
  'colour model',
  perceptions.map((p) => colourAffect(p.features).arousal),
);
report(
  'content table',
  perceptions.map((p) => contentAffect(p.content).arousal),
);
const cues = perceptions.map((p) => cueVector(p));
const embeddings = perceptions.map((p) => p.embedding);
for (const [targetName, y] of Object.entries(targets)) {
  if (targetName === 'valence') continue;
  for (const k of K) {
    for (const lambda of LAMBDAS) {
      report(`head→${targetName} k${k} λ${lambda}`, oof(embeddings, y, k, lambda));
    }
  }
  for (const lambda of [10, 300]) {
    report(`cues→${targetName} λ${lambda}`, oof(cues, y, 0, lambda));
  }
}
// Valence head's extremity as an arousal reading (the U shape).
for (const lambda of [3000]) {
  const v = oof(embeddings, targets.valence, 2, lambda);
  const sorted = [...v].sort((a, b) => a - b);
  const centre = sorted[Math.floor(sorted.length / 2)] ?? 0;
  report(
    `|valence head − median| λ${lambda}`,
    v.map((x) => Math.abs(x - centre)),
  );
  report(
    `−valence head λ${lambda}`,
    v.map((x) => -x),
  );
}
