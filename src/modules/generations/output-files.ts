import type { ObjectVault } from '../../adapters/storage/object-vault.js';

/** Every generation is delivered in these formats, each labelled as AI-generated. */
export const audioFormats = ['mp3', 'wav', 'midi'] as const;
export type AudioFormat = (typeof audioFormats)[number];

export const audioFormatInfo: Record<AudioFormat, { contentType: string; extension: string }> = {
  mp3: { contentType: 'audio/mpeg', extension: 'mp3' },
  wav: { contentType: 'audio/wav', extension: 'wav' },
  midi: { contentType: 'audio/midi', extension: 'mid' },
};

/** `generations.output_object` holds a prefix; each format is one object under it. */
export function outputKey(prefix: string, format: AudioFormat): string {
  return `${prefix}/${format}`;
}

/** The stems ZIP (one labelled WAV per part) lives beside the formats, under the same prefix. */
export function stemsKey(prefix: string): string {
  return `${prefix}/stems`;
}

/** Every file of a generation, stems included: retention and account deletion go through here. */
export async function deleteOutputFiles(vault: ObjectVault, prefix: string): Promise<void> {
  for (const format of audioFormats) await vault.delete(outputKey(prefix, format));
  await vault.delete(stemsKey(prefix));
}
