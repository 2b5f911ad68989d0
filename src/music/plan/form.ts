import type { PlanSection, SectionMaterial, SectionName } from './music-plan.js';
import { tempoMap } from './tempo-map.js';

/**
 * Form (plan v5): sections on a four/eight-bar grid, with a theme that comes back. The length
 * asked for is reached by choosing how many four-bar units there are and fitting the tempo to
 * them, not by odd-length phrases; the ritardando of the last bars is part of the sum.
 */

/** Tempo may move this far from the style's to fill the length with whole four-bar units. */
const MAX_TEMPO_FIT = 0.12;
export const RITARDANDO_BARS = 2;

export interface FormFit {
  bars: number;
  tempo: number;
  /** How much longer than a bar the final chord is held (0..1), see tempoMap. */
  fermata: number;
}

/**
 * Bars, tempo and final hold that fill `musicSeconds` exactly, closest to the wanted tempo:
 * whole four-bar units first, the remainder taken up by holding the last chord longer (up to a
 * bar) before the tempo itself moves.
 */
export function fitBars(
  tempo: number,
  barTicks: number,
  ritardando: number,
  musicSeconds: number,
): FormFit {
  const secondsOf = (bars: number, fermata: number): number =>
    tempoMap(tempo, barTicks, bars, ritardando, RITARDANDO_BARS, fermata).seconds;
  const fitFor = (bars: number): FormFit => {
    const plain = secondsOf(bars, 0);
    if (plain >= musicSeconds) return { bars, tempo: (tempo * plain) / musicSeconds, fermata: 0 };
    const held = secondsOf(bars, 1);
    if (held <= musicSeconds) return { bars, tempo: (tempo * held) / musicSeconds, fermata: 1 };
    // The hold grows the final bar linearly, so the exact hold is one division away.
    return { bars, tempo, fermata: (musicSeconds - plain) / (held - plain) };
  };
  const cost = (fit: FormFit): number => Math.abs(Math.log(fit.tempo / tempo));
  const best = (step: number): FormFit => {
    let choice = fitFor(step);
    for (let bars = step * 2; bars <= 400; bars += step) {
      const fit = fitFor(bars);
      if (cost(fit) < cost(choice)) choice = fit;
      if (fit.tempo > tempo * 2) break;
    }
    return choice;
  };
  // Whole four-bar units when the tempo allows; otherwise two-bar units, then any bar count
  // (only very short pieces get there).
  for (const step of [4, 2]) {
    const choice = best(step);
    if (Math.abs(choice.tempo / tempo - 1) <= MAX_TEMPO_FIT) return choice;
  }
  return best(1);
}

interface SectionSpec {
  material: SectionMaterial;
  bars: number;
}

/** The body's sections for `units` four-bar units; every body ends with the theme (A). */
function bodyOf(units: number): SectionSpec[] {
  const s = (material: SectionMaterial, bars: number): SectionSpec => ({ material, bars });
  switch (units) {
    case 0:
      return [];
    case 1:
      return [s('A', 4)];
    case 2:
      return [s('A', 8)];
    case 3:
      return [s('A', 4), s('B', 4), s('A', 4)];
    case 4:
      return [s('A', 8), s('B', 4), s('A', 4)];
    case 5:
      return [s('A', 8), s('B', 8), s('A', 4)];
    case 6:
      return [s('A', 8), s('B', 8), s('A', 8)];
  }
  const eights = Math.floor(units / 2);
  const materials: SectionMaterial[] =
    eights === 3
      ? ['A', 'B', 'A']
      : eights === 4
        ? ['A', 'A', 'B', 'A']
        : ['A', 'B', 'A', 'C', 'A'];
  let extra: SectionMaterial = 'B';
  while (materials.length < eights) {
    if (eights - materials.length === 1) materials.unshift('A');
    else {
      materials.push(extra, 'A');
      extra = extra === 'B' ? 'C' : 'B';
    }
  }
  const specs = materials.map((m) => s(m, 8));
  // An odd unit: a four-bar bridge before the last return.
  if (units % 2 === 1) specs.splice(specs.length - 1, 0, s('C', 4));
  return specs;
}

export function planSections(
  bars: number,
  loop: boolean,
  arousal: number,
  bridgeBreaksDown: boolean,
): PlanSection[] {
  if (bars % 4 !== 0 || bars < 4) {
    // Off the grid (a very short piece): one theme section, intro and outro only if there is room.
    const intro = !loop && bars >= 8 ? 2 : 0;
    const sections: PlanSection[] = [];
    if (intro)
      sections.push({ name: 'intro', startBar: 0, bars: intro, energy: 0.4, material: 'intro' });
    sections.push({
      name: 'theme',
      startBar: intro,
      bars: bars - intro,
      energy: 0.6,
      material: 'A',
    });
    return sections;
  }
  const units = bars / 4;
  const intro = !loop && units >= 5 ? 4 : 0;
  const outro = !loop && units >= 8 ? 4 : 0;
  const body = bodyOf(units - (intro + outro) / 4);
  const lift = arousal > 0.35 ? 0.08 : arousal < -0.35 ? -0.05 : 0;
  const specs: SectionSpec[] = [
    ...(intro ? [{ material: 'intro' as const, bars: intro }] : []),
    ...body,
    ...(outro ? [{ material: 'outro' as const, bars: outro }] : []),
  ];
  const lastA = specs.map((x) => x.material).lastIndexOf('A');
  const sections: PlanSection[] = [];
  let startBar = 0;
  let themeHeard = false;
  specs.forEach((spec, i) => {
    let name: SectionName;
    let energy: number;
    switch (spec.material) {
      case 'intro':
        name = 'intro';
        energy = 0.36;
        break;
      case 'outro':
        name = 'outro';
        energy = 0.42;
        break;
      case 'B':
        name = 'contrast';
        energy = 0.74;
        break;
      case 'C':
        name = 'bridge';
        energy = bridgeBreaksDown ? 0.46 : 0.8;
        break;
      default:
        name = themeHeard ? 'reprise' : 'theme';
        // The first statement settles, later ones grow, the last is the fullest.
        energy = !themeHeard ? 0.52 : i === lastA && specs.length > 3 ? 0.78 : 0.62;
        themeHeard = true;
    }
    sections.push({
      name,
      startBar,
      bars: spec.bars,
      energy: Math.round(Math.min(1, Math.max(0.2, energy + lift)) * 1000) / 1000,
      material: spec.material,
    });
    startBar += spec.bars;
  });
  return sections;
}
