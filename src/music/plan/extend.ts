import { meterOf } from '../compose/meter.js';
import { requireStyle } from '../styles/style-registry.js';
import { formWords } from './explain.js';
import { extendSections, RITARDANDO_BARS } from './form.js';
import type { MusicPlan } from './music-plan.js';
import { tempoMap } from './tempo-map.js';

/** The first plan version whose composer keeps every earlier note when the form grows. */
const EXTENDABLE_FROM = 5;

function seconds(plan: MusicPlan): number {
  const meter = meterOf(plan.meter.beatsPerBar, plan.meter.beatUnit);
  const music = tempoMap(
    plan.tempoBpm,
    meter.barTicks,
    plan.form.bars,
    plan.form.ritardando,
    RITARDANDO_BARS,
    plan.form.fermata ?? 0,
  ).seconds;
  return music + (plan.tailSeconds ?? 0);
}

/** How long a plan's piece plays, its tail included. */
export function planSeconds(plan: MusicPlan): number {
  return Math.round(seconds(plan) * 100) / 100;
}

/**
 * "Extend by N seconds": the same plan with more of its form after the body, at the same tempo,
 * composed with the same seed it starts exactly as the shorter piece did and then goes on (a
 * bridge or the contrast, the theme again, the ending). The length is the nearest the tempo
 * allows; `planSeconds` says what it is.
 */
export function extendPlan(plan: MusicPlan, extraSeconds: number): MusicPlan {
  if (plan.version < EXTENDABLE_FROM) {
    throw new Error(`a plan of version ${plan.version} cannot be extended; compose it anew`);
  }
  if (plan.form.loop) throw new Error('a loop has no ending to continue from');
  if (!(extraSeconds > 0)) throw new Error('extend by a positive number of seconds');
  const meter = meterOf(plan.meter.beatsPerBar, plan.meter.beatUnit);
  const tail = plan.tailSeconds ?? 0;
  const extended = extendSections(
    plan.form.sections,
    plan.tempoBpm,
    meter.barTicks,
    plan.form.ritardando,
    seconds(plan) - tail + extraSeconds,
    requireStyle(plan.style).composition.arrangement.breakdown,
  );
  const form = {
    ...plan.form,
    bars: extended.bars,
    sections: extended.sections,
    fermata: extended.fermata,
  };
  // The skyline stays spread over the bars it was planned for, so the opening keeps its shape.
  const melody = { ...plan.melody, contourSpan: plan.melody.contourSpan ?? plan.form.bars };
  const next: MusicPlan = { ...plan, form, melody };
  const added = Math.round(seconds(next) - seconds(plan));
  const line = {
    en: `extended by ${added} s: ${form.bars} bars (${form.sections.map((s) => `${s.name} ${s.bars}`).join(', ')})`,
    zh: `延长 ${added} 秒：共 ${form.bars} 小节`,
  };
  const story = plan.story
    ? {
        summary: {
          en: plan.story.summary.en.replace(
            formWords(plan.form.sections, false).en,
            formWords(form.sections, false).en,
          ),
          zh: plan.story.summary.zh.replace(
            formWords(plan.form.sections, false).zh,
            formWords(form.sections, false).zh,
          ),
        },
        details: [...plan.story.details, line],
      }
    : undefined;
  return { ...next, explanation: `${plan.explanation}; ${line.en}`, story };
}
