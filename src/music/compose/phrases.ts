import type { PlanSection } from '../plan/music-plan.js';

/**
 * The piece as a list of four-bar phrases: which section and material each belongs to, which
 * phrase of its material it restates, and how it ends. Harmony and melody are both written per
 * phrase, so a returning theme returns in both.
 */

export type Material = 'intro' | 'A' | 'B' | 'C' | 'outro';
export type Cadence = 'half' | 'authentic' | 'open' | 'plagal' | 'turnaround';

export interface Phrase {
  index: number;
  section: number;
  material: Material;
  /** Which phrase of its material this is (0 = first four bars, 1 = the next four). */
  position: number;
  /** How many times this material was heard before this section (0 = first statement). */
  occurrence: number;
  startBar: number;
  bars: number;
  cadence: Cadence;
  /** The section's energy (0..1). */
  energy: number;
  /** The last phrase of the piece. */
  final: boolean;
}

export function materialOf(section: PlanSection): Material {
  if (section.material) return section.material;
  if (section.name === 'intro' || section.name === 'outro') return section.name;
  if (section.name === 'contrast') return 'B';
  if (section.name === 'bridge') return 'C';
  return 'A';
}

export function planPhrases(sections: readonly PlanSection[], loop: boolean): Phrase[] {
  const phrases: Phrase[] = [];
  const heard = new Map<Material, number>();
  const body = sections.filter((s) => s.name !== 'outro');
  const lastBody = body[body.length - 1];
  sections.forEach((section, s) => {
    const material = materialOf(section);
    const occurrence = heard.get(material) ?? 0;
    heard.set(material, occurrence + 1);
    const count = Math.max(1, Math.round(section.bars / 4));
    let bar = section.startBar;
    for (let p = 0; p < count; p++) {
      const bars = p === count - 1 ? section.startBar + section.bars - bar : 4;
      const lastOfSection = p === count - 1;
      // A four-bar A section is the theme's return in brief: its consequent phrase.
      const position = material === 'A' && count === 1 && section.bars <= 4 && s > 0 ? 1 : p % 2;
      let cadence: Cadence;
      if (material === 'outro') cadence = 'plagal';
      else if (material === 'intro') cadence = 'half';
      else if (material === 'A') cadence = position === 1 || count === 1 ? 'authentic' : 'half';
      else cadence = lastOfSection ? 'half' : 'open';
      if (section === lastBody && lastOfSection && material !== 'intro') cadence = 'authentic';
      phrases.push({
        index: phrases.length,
        section: s,
        material,
        position,
        occurrence,
        startBar: bar,
        bars,
        cadence,
        energy: section.energy,
        final: false,
      });
      bar += bars;
    }
  });
  const last = phrases[phrases.length - 1];
  if (last) {
    last.final = true;
    if (loop) last.cadence = 'turnaround';
  }
  return phrases;
}
