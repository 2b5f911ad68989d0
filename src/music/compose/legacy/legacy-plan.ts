/**
 * The shape of a plan made by engine versions 1–4, frozen here so that their composer keeps
 * replaying stored plans note for note while the current plan type (plan/music-plan.ts) moves on.
 * Only what the legacy composer reads is listed; a stored v1–v4 plan has at least these fields.
 */

export const LEGACY_STYLES = [
  'ambient',
  'pop-ballad',
  'upbeat',
  'lo-fi',
  'cinematic',
  'folk',
  'piano-solo',
  'jazz',
] as const;
export type LegacyStyle = (typeof LEGACY_STYLES)[number];
export type LegacySectionName = 'intro' | 'theme' | 'contrast' | 'reprise' | 'outro';

export interface LegacyInstrument {
  program: number;
  name: string;
}

export interface LegacySection {
  name: LegacySectionName;
  startBar: number;
  bars: number;
  energy: number;
}

export interface LegacyPlan {
  version: number;
  key: { tonic: string; mode: 'major' | 'minor'; name: string; fifths: number };
  tempoBpm: number;
  meter: { beatsPerBar: number; beatUnit: number };
  style: LegacyStyle;
  instrumentation: {
    melody: LegacyInstrument;
    chords: LegacyInstrument;
    bass: LegacyInstrument;
    pad: LegacyInstrument | null;
    drums: LegacyInstrument | null;
  };
  form: {
    bars: number;
    barsPerChord: 1 | 2;
    ritardando: number;
    loop: boolean;
    sections: LegacySection[];
  };
  swing: number;
  sevenths: boolean;
  melody: { homeNote: number; density: number; contour: number[] };
  reverb: number;
}

export function isLegacyStyle(style: string): style is LegacyStyle {
  return (LEGACY_STYLES as readonly string[]).includes(style);
}

const LEGACY_SECTION_NAMES: readonly string[] = ['intro', 'theme', 'contrast', 'reprise', 'outro'];

/**
 * A stored plan of version 1–4 as the legacy composer reads it; throws if the plan uses
 * anything those versions never wrote (a newer style or section kind), which would mean a
 * corrupted or mislabelled plan.
 */
export function requireLegacyPlan(plan: {
  version: number;
  style: string;
  form: { sections: readonly { name: string }[] };
}): LegacyPlan {
  if (plan.version > 4) throw new Error(`plan version ${plan.version} is not a legacy plan`);
  if (!isLegacyStyle(plan.style)) throw new Error(`no legacy composer for style ${plan.style}`);
  const bad = plan.form.sections.find((s) => !LEGACY_SECTION_NAMES.includes(s.name));
  if (bad) throw new Error(`plan version ${plan.version} cannot have a ${bad.name} section`);
  return plan as unknown as LegacyPlan;
}
