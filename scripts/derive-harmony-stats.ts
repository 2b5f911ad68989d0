/**
 * `npm run derive:harmony [corpora-dir]`: reads the shared corpora (default
 * ../shared/data/corpora) and writes src/music/compose/harmony-stats.json, the aggregate statistics the
 * composer samples its harmony from. Only counts and probabilities are written; no tune, chord
 * sequence or table from a corpus is copied (docs/decisions/0009-corpus-trained-harmony.md).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import {
  corporaPresent,
  DEFAULT_CORPORA,
  DEGREE_NAMES,
  MODES,
  readBach,
  readNottingham,
  readWhenInRome,
  reduceHarmony,
  reduceMelody,
  round4,
  WIR_REPERTOIRES,
  type DegreeStats,
  type Mode,
  type WirRepertoire,
  type WirUsage,
} from './harmony-corpus.js';

const corpora = path.resolve(process.argv[2] ?? DEFAULT_CORPORA);
const target = fileURLToPath(new URL('../src/music/compose/harmony-stats.json', import.meta.url));

if (!corporaPresent(corpora)) {
  console.error(`corpora not found under ${corpora} (expected ../shared/data/corpora)`);
  process.exit(1);
}

const nottingham = readNottingham(path.join(corpora, 'nottingham'));
const bach = readBach(path.join(corpora, 'bach-choral-harmony-uci'));
const wir = readWhenInRome(path.join(corpora, 'when-in-rome-chord-usage'));

const perMode = <T>(fn: (mode: Mode) => T): Record<Mode, T> => ({
  major: fn('major'),
  minor: fn('minor'),
});

const stats = {
  about:
    'Aggregate scale-degree statistics derived by scripts/derive-harmony-stats.ts from ' +
    '../shared/data/corpora (see docs/decisions/0009-corpus-trained-harmony.md). Degrees are ' +
    'the seven diatonic triads; in minor, V is the harmonic (major) dominant and a minor v is ' +
    'counted as V. unigram/strongUnigram sum to 1 over diatonic chord events; transitions are ' +
    'P(next degree | degree, the chord changes) and repeat is P(same degree next).',
  degrees: DEGREE_NAMES,
  sources: {
    nottingham: {
      name: 'Nottingham Music Database (Jukedeck cleaned edition, ABC)',
      licence:
        'GPL-3.0 data; only aggregate counts derived here. Music by Eric Foxley et al. ' +
        '(NMD), ABC by J. Allwright, J. Glanville, S. Shlien; github.com/jukedeck/nottingham-dataset',
      counts: {
        tunes: nottingham.tunes,
        tunesWithChords: nottingham.tunesWithChords,
        chordEvents: perMode((m) => nottingham.harmony[m].events),
        melodyNotes: perMode((m) => nottingham.melody[m].notes),
      },
    },
    bach: {
      name: 'Bach Choral Harmony (UCI Machine Learning Repository, id 298)',
      licence:
        'CC BY 4.0. Radicioni, D. & Esposito, R. (2014). Bach Choral Harmony. UCI Machine ' +
        'Learning Repository. https://doi.org/10.24432/C5B61F. Statistics derived (chord ' +
        'labels reduced to scale degrees of the chorale key), not the data itself.',
      counts: {
        chorales: bach.chorales,
        slices: bach.slices,
        chordEvents: perMode((m) => bach.harmony[m].events),
      },
    },
    whenInRome: {
      name: 'When in Rome chord-usage tables (MarkGotham/When-in-Rome, Code/Resources/chord_usage)',
      licence:
        'CC BY-SA 4.0. Gotham, M., Micchi, G., Nápoles López, N. & Sailor, M. (2023). When in ' +
        'Rome: a meta-corpus of functional harmony. TISMIR 6(1). The harmony.whenInRome block ' +
        'is an adaptation (usage percentages regrouped by scale degree) and is itself shared ' +
        'under CC BY-SA 4.0.',
      counts: { tables: WIR_REPERTOIRES.length * MODES.length },
    },
  },
  harmony: {
    nottingham: perMode((m): DegreeStats => reduceHarmony(m, nottingham.harmony[m])),
    bach: perMode((m): DegreeStats => reduceHarmony(m, bach.harmony[m])),
    whenInRome: Object.fromEntries(
      WIR_REPERTOIRES.map((r) => [
        r,
        perMode((m): WirUsage => ({
          diatonicShare: round4(wir[r][m].diatonicShare),
          unigram: wir[r][m].unigram.map(round4),
        })),
      ]),
    ) as Record<WirRepertoire, Record<Mode, WirUsage>>,
  },
  melody: {
    nottingham: perMode((m) => reduceMelody(nottingham.melody[m])),
  },
};

const json = await format(JSON.stringify(stats), { parser: 'json', printWidth: 100 });
writeFileSync(target, json);
console.log(`wrote ${path.relative(process.cwd(), target)} (${json.length} bytes)`);
for (const source of ['nottingham', 'bach'] as const) {
  for (const mode of MODES) {
    const h = stats.harmony[source][mode];
    console.log(
      `  ${source.padEnd(10)} ${mode}: ${h.events} events, ${Math.round(100 * h.diatonicShare)} % diatonic; ` +
        DEGREE_NAMES[mode].map((d, i) => `${d} ${Math.round(100 * (h.unigram[i] ?? 0))}`).join(' '),
    );
  }
}
