import { ambient } from './ambient.js';
import { cinematic } from './cinematic.js';
import { folk } from './folk.js';
import { jazz } from './jazz.js';
import { loFi } from './lo-fi.js';
import { pianoSolo } from './piano-solo.js';
import { popBallad } from './pop-ballad.js';
import type { StyleDeclaration } from './style-declaration.js';
import { upbeat } from './upbeat.js';

/**
 * Every style the engine can play, in the order the create page lists them. The style type, the
 * API's enum, the UI's names and the description words all come from here.
 */
export const STYLE_DECLARATIONS = [
  ambient,
  popBallad,
  upbeat,
  loFi,
  cinematic,
  folk,
  pianoSolo,
  jazz,
] as const;

export type Style = (typeof STYLE_DECLARATIONS)[number]['id'];

export const STYLES: readonly Style[] = STYLE_DECLARATIONS.map((s) => s.id);

const BY_ID = new Map<string, StyleDeclaration<Style>>(STYLE_DECLARATIONS.map((s) => [s.id, s]));

export function isStyle(value: unknown): value is Style {
  return typeof value === 'string' && BY_ID.has(value);
}

export function requireStyle(style: Style): StyleDeclaration<Style> {
  const declaration = BY_ID.get(style);
  if (!declaration) throw new Error(`unknown style ${style}`);
  return declaration;
}
