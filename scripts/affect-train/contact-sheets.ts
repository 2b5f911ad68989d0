/**
 * `npx tsx scripts/affect-train/contact-sheets.ts [out-dir]`: numbered contact sheets (6 × 5
 * thumbnails) of the training images listed in datasets/affect-train/MANIFEST.tsv, for
 * labelling by eye (docs/affect-rubric.md). Written outside the project (default
 * /tmp/perception-cache/sheets); the images are read from the installed packages.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { readPackagedImage } from './debian-images.js';

const out = path.resolve(process.argv[2] ?? '/tmp/perception-cache/sheets');
mkdirSync(out, { recursive: true });
const manifest = readFileSync(
  fileURLToPath(new URL('../../datasets/affect-train/MANIFEST.tsv', import.meta.url)),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'));

const COLS = 6;
const ROWS = 5;
const W = 240;
const H = 190;
const LABEL = 22;
for (let start = 0; start < manifest.length; start += COLS * ROWS) {
  const batch = manifest.slice(start, start + COLS * ROWS);
  const tiles = await Promise.all(
    batch.map(async ([id = '', , , file = ''], i) => {
      const thumb = await sharp(readPackagedImage(file))
        .flatten({ background: '#ffffff' })
        .resize(W - 6, H - LABEL - 4, { fit: 'contain', background: '#ffffff' })
        .png()
        .toBuffer();
      const svg = Buffer.from(
        `<svg width="${W}" height="${LABEL}"><rect width="100%" height="100%" fill="#222"/>` +
          `<text x="6" y="17" font-family="DejaVu Sans" font-size="16" fill="#ff0">${id}</text></svg>`,
      );
      return [
        { input: svg, left: (i % COLS) * W, top: Math.floor(i / COLS) * H },
        { input: thumb, left: (i % COLS) * W + 3, top: Math.floor(i / COLS) * H + LABEL + 2 },
      ];
    }),
  );
  const name = path.join(out, `sheet-${String(start / (COLS * ROWS) + 1).padStart(2, '0')}.png`);
  await sharp({
    create: { width: COLS * W, height: ROWS * H, channels: 3, background: '#888888' },
  })
    .composite(tiles.flat())
    .png()
    .toFile(name);
  console.log(name);
}
