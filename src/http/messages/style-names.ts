import type { PolicyLanguage } from '../../modules/policies/policy-versions.js';
import { STYLE_DECLARATIONS, type Style } from '../../music/styles/style-registry.js';

/** Style names live with each style's declaration in the engine. */
export function styleNames(lang: PolicyLanguage): Record<`style.${Style}`, string> {
  return Object.fromEntries(
    STYLE_DECLARATIONS.map((s) => [`style.${s.id}`, s.names[lang]]),
  ) as Record<`style.${Style}`, string>;
}
