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
  /** A loop has no last chord to linger on: its bars alone fill the time (by the tempo). */
  hold = true,
): FormFit {
  const secondsOf = (bars: number, fermata: number): number =>
    tempoMap(tempo, barTicks, bars, ritardando, RITARDANDO_BARS, fermata).seconds;
  const fitFor = (bars: number): FormFit => {
    const plain = secondsOf(bars, 0);
    if (plain >= musicSeconds || !hold) {
      return { bars, tempo: (tempo * plain) / musicSeconds, fermata: 0 };
    }
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

/**
 * The same piece made longer: every section before the ending is kept, bar for bar, and more
 * of the form follows (a bridge or the contrast, then the theme again, then the ending), at the
 * same tempo, so the longer piece starts exactly as the shorter one did (the composer writes
 * each section from its own place in the seed's streams). Returns the new sections, bars and
 * hold; the length is what the tempo allows nearest to the one asked for.
 */
export function extendSections(
  sections: readonly PlanSection[],
  tempo: number,
  barTicks: number,
  ritardando: number,
  musicSeconds: number,
  bridgeBreaksDown: boolean,
): { sections: PlanSection[]; bars: number; fermata: number } {
  const body = sections.filter((s) => s.material !== 'outro' && s.name !== 'outro');
  const bodyBars = body.reduce((sum, s) => sum + s.bars, 0);
  const hadOutro = body.length < sections.length;
  const withOutro = (units: number): boolean => hadOutro || bodyBars / 4 + units >= 8;
  const secondsOf = (bars: number, fermata: number): number =>
    tempoMap(tempo, barTicks, bars, ritardando, RITARDANDO_BARS, fermata).seconds;
  let best = { units: 1, fermata: 0, error: Infinity };
  for (let units = 1; units <= 64; units++) {
    const bars = bodyBars + 4 * units + (withOutro(units) ? 4 : 0);
    const plain = secondsOf(bars, 0);
    const held = secondsOf(bars, 1);
    const fermata = Math.max(0, Math.min(1, (musicSeconds - plain) / (held - plain)));
    const error = Math.abs(secondsOf(bars, fermata) - musicSeconds);
    if (error < best.error) best = { units, fermata, error };
    if (plain > musicSeconds) break;
  }
  const added: SectionSpec[] = [];
  let left = best.units;
  let extra: SectionMaterial = body.some((s) => s.material === 'C') ? 'B' : 'C';
  while (left > 0) {
    if (left === 1) {
      added.push({ material: 'A', bars: 4 });
      left = 0;
    } else if (left <= 3) {
      added.push({ material: extra, bars: 4 }, { material: 'A', bars: 4 * (left - 1) });
      left = 0;
    } else {
      added.push({ material: extra, bars: 8 }, { material: 'A', bars: 8 });
      left -= 4;
      extra = extra === 'B' ? 'C' : 'B';
    }
  }
  const specs: SectionSpec[] = [
    ...added,
    ...(withOutro(best.units) ? [{ material: 'outro' as const, bars: 4 }] : []),
  ];
  const out: PlanSection[] = body.map((s) => ({ ...s }));
  let startBar = bodyBars;
  const lastA = specs.map((x) => x.material).lastIndexOf('A');
  specs.forEach((spec, i) => {
    const name: SectionName =
      spec.material === 'outro'
        ? 'outro'
        : spec.material === 'B'
          ? 'contrast'
          : spec.material === 'C'
            ? 'bridge'
            : 'reprise';
    const energy =
      spec.material === 'outro'
        ? 0.42
        : spec.material === 'B'
          ? 0.74
          : spec.material === 'C'
            ? bridgeBreaksDown
              ? 0.46
              : 0.8
            : i === lastA
              ? 0.78
              : 0.62;
    out.push({ name, startBar, bars: spec.bars, energy, material: spec.material });
    startBar += spec.bars;
  });
  return { sections: out, bars: startBar, fermata: Math.round(best.fermata * 1000) / 1000 };
}
