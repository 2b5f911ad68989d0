import type { ImageFeatures } from './image-features.js';
import { estimateImageAffect, type ImageAffect } from './affect-model.js';
import { perceiveContent, type ImageContent } from './content-analysis.js';
import { steerMusic, type MusicSteering } from './content-steering.js';
import { describeScene, type SceneDescription } from './content-words.js';

/**
 * The one call the planner makes for an image:
 *
 *   const seen = await perceiveImage(bytes);
 *   seen.features     // ImageFeatures, as extractImageFeatures gives today (colour, light, lines)
 *   seen.content      // ImageContent: objects, people and faces, scene (content-analysis.ts)
 *   seen.affect       // { valence, arousal } in −1..1 plus the colour/content/learned readings
 *   seen.description  // { en, zh }: "a lighthouse on a rocky coast in sunshine"
 *   seen.steering     // suggested styles, instruments, textures, mode and tempo lean
 *
 * `affect.valence/arousal` replaces `estimateEmotion(features)` as the image's reading; the
 * user's words and controls keep outranking it exactly as they outrank the colour reading today.
 *
 * What may be stored with a generation: `toStoredPerception(seen)`: the description, the
 * blended affect and the steering reasons. Never store `content.people.faces`, the embedding or
 * any other part of `content` (see docs/decisions/0012-content-perception.md, "Privacy").
 */
export interface ImagePerception {
  features: ImageFeatures;
  content: ImageContent;
  affect: ImageAffect;
  description: SceneDescription;
  steering: MusicSteering;
}

export async function perceiveImage(image: Uint8Array): Promise<ImagePerception> {
  const perceived = await perceiveContent(image);
  const affect = estimateImageAffect(perceived);
  return {
    features: perceived.features,
    content: perceived.content,
    affect,
    description: describeScene(perceived.content, perceived.features),
    steering: steerMusic(perceived.content, perceived.features),
  };
}

/** The part of a perception that may be kept with the music: nothing read from a face. */
export interface StoredPerception {
  description: SceneDescription;
  valence: number;
  arousal: number;
  reasons: { en: string; zh: string }[];
}

export function toStoredPerception(seen: ImagePerception): StoredPerception {
  return {
    description: { ...seen.description },
    valence: seen.affect.valence,
    arousal: seen.affect.arousal,
    reasons: seen.steering.reasons.map(({ en, zh }) => ({ en, zh })),
  };
}
