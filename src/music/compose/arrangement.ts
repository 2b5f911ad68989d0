import type { Texture } from '../perception/content-steering.js';
import type { Rng } from '../random.js';
import type {
  BassFigure,
  ChordFigure,
  CompositionDeclaration,
  Tier,
} from '../styles/style-composition.js';
import type { Meter } from './meter.js';
import type { Material } from './phrases.js';

/**
 * Who plays what, section by section: an intro that builds, a theme with the band settled, a
 * contrast that lifts (busier figures, the pad, fuller drums), a bridge that breaks down, a last
 * theme fuller than the first, and an ending that thins out. The seed picks among the style's
 * figures for each tier, so a variation is another take, not the same band again.
 */

export interface SectionArrangement {
  startTick: number;
  endTick: number;
  material: Material;
  tier: Tier;
  level: number;
  chords: ChordFigure;
  bass: BassFigure | null;
  pad: boolean;
  drums: Tier | 'none' | 'final-hit';
  drumsSilentBars: number;
  crash: boolean;
}

export interface ArrangementSection {
  startBar: number;
  bars: number;
  energy: number;
  material: Material;
  /** The last body section: the fullest statement of the theme. */
  lastBody: boolean;
}

function tierOf(energy: number): Tier {
  return energy < 0.5 ? 'low' : energy < 0.72 ? 'mid' : 'high';
}

const UP: Record<Tier, Tier> = { low: 'mid', mid: 'high', high: 'high' };
const DOWN: Record<Tier, Tier> = { low: 'low', mid: 'low', high: 'mid' };

/** Accompaniment figures each content texture likes (perception/content-steering.ts). */
const CHORD_TEXTURES: Partial<Record<Texture, readonly ChordFigure[]>> = {
  'flowing-arpeggios': ['arpeggio', 'broken', 'picking'],
  'sustained-pads': ['sustain'],
  'driving-rhythm': ['pulse', 'stabs', 'strum', 'ostinato'],
  'tremolo-strings': ['ostinato'],
  'bell-like': ['arpeggio'],
  pizzicato: ['picking', 'pulse', 'oom-pah'],
  'intimate-solo': ['arpeggio', 'block', 'sustain'],
  swing: ['comping'],
};
const BASS_TEXTURES: Partial<Record<Texture, readonly BassFigure[]>> = {
  'sustained-pads': ['hold'],
  'driving-rhythm': ['octaves', 'pulse', 'syncopated'],
  'intimate-solo': ['roots', 'hold'],
  swing: ['walking'],
};

export function arrange(
  sections: readonly ArrangementSection[],
  decl: CompositionDeclaration,
  meter: Meter,
  hasPad: boolean,
  hasDrums: boolean,
  loop: boolean,
  rng: Rng,
  textures: readonly Texture[] = [],
): SectionArrangement[] {
  const pick = <T>(options: readonly T[], fallback: T): T =>
    options.length > 0 ? rng.pick(options) : fallback;
  // What the picture asks for narrows the style's own figures where the two agree.
  const prefer = <T extends string>(
    options: readonly T[],
    wanted: Partial<Record<Texture, readonly string[]>>,
  ): readonly T[] => {
    const liked = new Set(textures.flatMap((t) => wanted[t] ?? []));
    const both = options.filter((o) => liked.has(o));
    return both.length > 0 ? both : options;
  };
  const sparse = textures.includes('sparse') || textures.includes('intimate-solo');
  const percussive = textures.includes('percussive') || textures.includes('driving-rhythm');
  // One figure per tier and material, so a returning section returns with its texture.
  const figures = new Map<string, { chords: ChordFigure; bass: BassFigure }>();
  return sections.map((section, index) => {
    const startTick = section.startBar * meter.barTicks;
    const endTick = (section.startBar + section.bars) * meter.barTicks;
    let tier = tierOf(section.energy);
    if (section.lastBody && section.material === 'A' && sections.length > 3) tier = UP[tier];
    if (sparse) tier = DOWN[tier];
    const key = `${tier}|${section.material === 'intro' || section.material === 'outro' ? section.material : 'body'}`;
    let chosen = figures.get(key);
    if (!chosen) {
      chosen = {
        chords: pick(prefer(decl.accompaniment[tier], CHORD_TEXTURES), 'sustain'),
        bass: pick(prefer(decl.bass[tier], BASS_TEXTURES), 'roots'),
      };
      figures.set(key, chosen);
    }
    const arrangement: SectionArrangement = {
      startTick,
      endTick,
      material: section.material,
      tier,
      level: section.energy,
      chords: chosen.chords,
      bass: chosen.bass,
      pad:
        hasPad &&
        !textures.includes('intimate-solo') &&
        (decl.arrangement.pad === 'always' ||
          tier !== 'low' ||
          textures.includes('sustained-pads')),
      drums: hasDrums ? (percussive ? UP[tier] : tier) : 'none',
      drumsSilentBars: 0,
      crash: hasDrums && index > 0 && section.material !== 'outro',
    };
    if (section.material === 'intro') {
      const intro = decl.arrangement.intro;
      arrangement.chords = intro === 'pad' ? 'sustain' : pick(decl.accompaniment.low, 'sustain');
      arrangement.pad = hasPad && intro === 'pad';
      arrangement.bass = intro === 'build' ? pick(decl.bass.low, 'roots') : null;
      // A build: the drums come in for the intro's last bars and fill into the theme.
      arrangement.drums = hasDrums && intro === 'build' ? 'low' : 'none';
      arrangement.drumsSilentBars = intro === 'build' ? Math.max(1, section.bars - 2) : 0;
      arrangement.crash = false;
    } else if (section.material === 'C' && decl.arrangement.breakdown) {
      // The breakdown: drums out, held bass, a sustained or sparse accompaniment.
      arrangement.drums = 'none';
      arrangement.bass = 'hold';
      arrangement.chords = pick(decl.accompaniment.low, 'sustain');
      arrangement.pad = hasPad;
      arrangement.crash = false;
    } else if (section.material === 'outro') {
      arrangement.chords = 'sustain';
      arrangement.bass = 'hold';
      arrangement.drums = hasDrums && !loop ? 'final-hit' : 'none';
    }
    return arrangement;
  });
}
