/** The team's labelled training images: manifest + labels, with labels on the plan's −1..1 scale. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface TeamImage {
  id: string;
  package: string;
  path: string;
  group: string;
  /** Team label mapped from OASIS 1..7 to −1..1 by (x − 4) / 3. */
  valence: number;
  arousal: number;
  /**
   * Arousal rated under rubric v2 (OASIS's definition, the intensity of the response;
   * docs/affect-rubric.md, "Arousal v2"), −1..1; absent for images not re-rated.
   */
  arousalV2?: number;
}

const DIR = fileURLToPath(new URL('../../datasets/affect-train/', import.meta.url));

function readTsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const columns = (header ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Images with a label; those labelled NA (e.g. transparent overlays that show nothing) are left out. */
export function readTeamSet(): TeamImage[] {
  const labels = new Map(readTsv(`${DIR}labels.tsv`).map((r) => [r.id ?? '', r]));
  const out: TeamImage[] = [];
  for (const row of readTsv(`${DIR}MANIFEST.tsv`)) {
    const label = labels.get(row.id ?? '');
    const valence = Number(label?.valence);
    const arousal = Number(label?.arousal);
    if (!label || !Number.isFinite(valence) || !Number.isFinite(arousal)) continue;
    const arousalV2 = label.arousal_v2 ? Number(label.arousal_v2) : Number.NaN;
    out.push({
      id: row.id ?? '',
      package: row.package ?? '',
      path: row.path ?? '',
      group: row.group ?? '',
      valence: (valence - 4) / 3,
      arousal: (arousal - 4) / 3,
      ...(Number.isFinite(arousalV2) ? { arousalV2: (arousalV2 - 4) / 3 } : {}),
    });
  }
  return out;
}
