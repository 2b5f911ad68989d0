/**
 * `npx tsx scripts/affect-train/select-images.ts`: picks the team's affect training images from
 * installed Debian packages (scripts/affect-train/install-packages.sh) and writes
 * datasets/affect-train/MANIFEST.tsv: id, package, version, path (absolute; `file.rcc!/inner` for a
 * file inside a Qt resource bundle), licence, group. The images themselves are never copied
 * into the project. The choice is rule-based and deterministic (fixed strides, sorted lists), so
 * re-running on the same package versions gives the same manifest; labels are in labels.tsv.
 *
 * Aim: span the valence/arousal plane like OASIS does: people and faces, animals (pets and
 * threatening ones), objects and food, calm/stormy/night/city/snow scenery, and threatening or
 * grim subjects (skulls, weapons, monsters, battles).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  licenceFor,
  listRcc,
  packageFiles,
  packageVersion,
  RCC_SEPARATOR,
  readDep5,
} from './debian-images.js';

interface Row {
  package: string;
  path: string;
  licence: string;
  group: string;
}

const IMAGE = /\.(jpe?g|png|webp)$/i;

/**
 * A GCompris file's licence: its copyright file names many pictures by their source format (the
 * package ships them converted to WebP); an unmatched file falls under the package's "Files: *"
 * licence.
 */
function gcomprisLicence(dep5: ReturnType<typeof readDep5>): (path: string) => string {
  return (path) => {
    const source = path.split(RCC_SEPARATOR)[1]?.replace(/^\/gcompris\//, '') ?? '';
    for (const ext of ['', '.jpg', '.jpeg', '.png', '.svg']) {
      const candidate = ext === '' ? source : source.replace(/\.webp$/, ext);
      const specific = licenceFor(dep5.slice(1), candidate);
      if (specific) return specific;
    }
    return licenceFor(dep5, source) ?? 'GPL-3+';
  };
}

/** GCompris word pictures that show a colour or a number rather than a thing. */
const GCOMPRIS_COLOUR_AND_NUMBER_WORDS = new Set(
  'black blue brown color gray green mauve orange-color pink red white yellow zero one two three four five six seven eight nine ten eleven twelve sixteen'.split(
    ' ',
  ),
);
const isGcomprisThingPicture = (path: string): boolean =>
  !GCOMPRIS_COLOUR_AND_NUMBER_WORDS.has(
    path
      .split('/')
      .pop()
      ?.replace(/\.\w+$/, '') ?? '',
  );
const rows: Row[] = [];

/** Every k-th item so that `count` are taken, spread over the sorted list. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from(
    { length: count },
    (_, i) => items[Math.floor((i * items.length) / count)] as T,
  );
}

function add(pkg: string, paths: string[], group: string, licence: (path: string) => string): void {
  for (const path of paths) rows.push({ package: pkg, path, licence: licence(path), group });
}

// GCompris: real photographs (animals, monuments, everyday words) and paintings. Licences per
// file from its DEP-5 copyright, matched on the source path the resource was built from.
{
  const pkg = 'gcompris-qt-data';
  const dep5 = readDep5(pkg);
  const rcc = '/usr/share/gcompris-qt/rcc';
  const inner = (bundle: string, filter: (p: string) => boolean): string[] =>
    listRcc(`${rcc}/${bundle}.rcc`)
      .filter((p) => IMAGE.test(p) && filter(p))
      .map((p) => `${rcc}/${bundle}.rcc${RCC_SEPARATOR}${p}`);
  const licence = gcomprisLicence(dep5);
  add(
    pkg,
    inner('details', (p) => p.includes('_background')),
    'gcompris-details',
    licence,
  );
  add(
    pkg,
    inner('erase', () => true),
    'gcompris-erase',
    licence,
  );
  add(
    pkg,
    inner('explore_world_animals', () => true),
    'gcompris-animals',
    licence,
  );
  add(
    pkg,
    inner('explore_farm_animals', () => true),
    'gcompris-animals',
    licence,
  );
  add(
    pkg,
    spread(
      inner('explore_monuments', () => true),
      16,
    ),
    'gcompris-monuments',
    licence,
  );
  add(pkg, spread(inner('lang', isGcomprisThingPicture), 60), 'gcompris-words', licence);
  add(
    pkg,
    inner('categorization', (p) => p.includes('/others/')),
    'gcompris-objects',
    licence,
  );
  add(
    pkg,
    spread(
      inner('categorization', (p) => p.includes('/fishes/')),
      6,
    ),
    'gcompris-animals',
    licence,
  );
  add(
    pkg,
    spread(
      inner('categorization', (p) => p.includes('/renewable/')),
      8,
    ),
    'gcompris-objects',
    licence,
  );
}

// Desktop wallpapers: landscapes, sea, night, flowers, abstract art.
{
  const pkg = 'plasma-workspace-wallpapers';
  // One picture per wallpaper: the largest rendition (names are WIDTHxHEIGHT.ext).
  const byWallpaper = new Map<string, { path: string; pixels: number }>();
  for (const path of packageFiles(pkg).filter(
    (p) => IMAGE.test(p) && p.includes('/contents/images/'),
  )) {
    const name = path.split('/')[4] ?? path;
    const [w = 0, h = 0] = (/(\d+)x(\d+)/.exec(path) ?? []).slice(1).map(Number);
    const best = byWallpaper.get(name);
    if (!best || w * h > best.pixels) byWallpaper.set(name, { path, pixels: w * h });
  }
  add(pkg, [...byWallpaper.values()].map((b) => b.path).sort(), 'wallpaper-plasma', () => 'GPL-2+');
}
{
  const pkg = 'gnome-backgrounds';
  // Only the light variant of each light/dark pair; SVGs are flat vector art.
  const files = packageFiles(pkg).filter(
    (p) => /\.(jpe?g|png|webp)$/.test(p) && !/-d\.\w+$/.test(p),
  );
  add(pkg, files.sort(), 'wallpaper-gnome', () => 'CC-BY-SA-3.0');
}
{
  const pkg = 'mate-backgrounds';
  const dep5 = readDep5(pkg);
  const files = packageFiles(pkg).filter(
    (p) => /\.(jpe?g|png)$/.test(p) && !/_\d+x\d+\./.test(p) && !p.includes('/desktop/'),
  );
  add(
    pkg,
    files.sort(),
    'wallpaper-mate',
    (p) => licenceFor(dep5, p.replace('/usr/share/backgrounds/mate/', '')) ?? 'GPL-2+',
  );
}
{
  const pkg = 'ukui-wallpapers';
  add(
    pkg,
    packageFiles(pkg)
      .filter((p) => IMAGE.test(p))
      .sort(),
    'wallpaper-ukui',
    () => 'CC-BY-SA-3.0',
  );
}
{
  const pkg = 'lomiri-wallpapers-20.04';
  const dep5 = readDep5(pkg);
  add(
    pkg,
    packageFiles(pkg)
      .filter((p) => IMAGE.test(p))
      .sort(),
    'wallpaper-lomiri',
    (p) => licenceFor(dep5, `20.04/${p.split('/').pop() ?? ''}`) ?? 'CC-BY-SA-4.0',
  );
}

// Wesnoth: painted story scenes (battles, altars, swamps) and character portraits (faces with
// expressions, monsters, the undead). Art is GPL-2+ like the game.
{
  const pkg = 'wesnoth-1.16-data';
  const core = '/usr/share/games/wesnoth/1.16/data/core/images';
  const files = packageFiles(pkg);
  add(
    pkg,
    files.filter((p) => p.startsWith(`${core}/story/`) && IMAGE.test(p)).sort(),
    'wesnoth-story',
    () => 'GPL-2+',
  );
  const portraits = files.filter(
    (p) => p.startsWith(`${core}/portraits/`) && IMAGE.test(p) && !p.includes('/transparent/'),
  );
  add(pkg, spread(portraits.sort(), 36), 'wesnoth-portrait', () => 'GPL-2+');
}

// Tux Paint stamps: photographs and drawings of animals, food, plants, vehicles, Halloween.
{
  const pkg = 'tuxpaint-stamps-default';
  const root = '/usr/share/tuxpaint/stamps/';
  const wanted =
    /^(animals|food|plants|vehicles|military|seasonal\/halloween|town\/monuments|space|hobbies|household\/dishes)\//;
  const files = packageFiles(pkg).filter(
    (p) =>
      p.startsWith(root) &&
      /\.png$/.test(p) &&
      wanted.test(p.slice(root.length)) &&
      !/_mirror|_back|_front/.test(p),
  );
  add(pkg, spread(files.sort(), 32), 'tuxpaint', () => 'GPL-2');
}

// Open Clip Art: public-domain drawings; chosen by subject words so that faces with
// expressions and threatening subjects are represented.
{
  const pkg = 'openclipart-png';
  const root = '/usr/share/openclipart/png/';
  const subjects =
    /(skull|snake|spider|pistol|gun|rifle|knife|sword|bomb|fire|flame|storm|lightning|devil|ghost|monster|zombie|grave|tank|war|smil|happy|angry|sad|cry|scream|baby|family|kiss|wedding|clown|cake|kitten|puppy|flower|rose|sunset|beach)/i;
  const files = packageFiles(pkg).filter(
    (p) =>
      p.startsWith(root) &&
      /\.png$/.test(p) &&
      !p.includes('/computer/') &&
      !p.includes('/buttons/') &&
      subjects.test(p.slice(root.length)),
  );
  add(
    pkg,
    spread(files.sort(), 36),
    'openclipart',
    () => 'public-domain (Open Clip Art dedication)',
  );
}

// Endless Sky's landing views: real photographs of mountains, cities, seas, snow, deserts,
// fog and lava (mostly public domain from morgueFile, some CC BY-SA from Wikimedia Commons;
// licence per file from the DEP-5 copyright). Added after the first labelling round, at the
// end so that earlier ids stay as they were.
{
  const pkg = 'endless-sky-data';
  const dep5 = readDep5(pkg);
  const root = '/usr/share/games/endless-sky/';
  const files = packageFiles(pkg).filter(
    (p) => p.startsWith(`${root}images/land/`) && /\.jpg$/.test(p),
  );
  add(
    pkg,
    spread(files.sort(), 90),
    'endless-sky-land',
    (p) => licenceFor(dep5, p.slice(root.length)) ?? 'public-domain',
  );
}

// Round 6: more images for arousal, the side the set was weakest on. The GCompris word
// pictures not taken above (drawings: a bear, a spider, a mosquito, a family), its photographs
// of musicians and bands, and Tux Paint's photographic stamps (not its cartoons) chosen by
// subject words so that threat (big cats, bears, a bull, a hornet, a syringe), fire and
// explosions, weapons and military vehicles, speed and sport sit beside calm animals and
// things (a lamb, a koala, a mug, a candle). Appended so that every earlier id stays as it was.
{
  const pkg = 'gcompris-qt-data';
  const dep5 = readDep5(pkg);
  const rcc = '/usr/share/gcompris-qt/rcc';
  const taken = new Set(rows.map((r) => r.path));
  const licence = gcomprisLicence(dep5);
  const words = listRcc(`${rcc}/lang.rcc`)
    .filter((p) => IMAGE.test(p) && isGcomprisThingPicture(p))
    .map((p) => `${rcc}/lang.rcc${RCC_SEPARATOR}${p}`)
    .filter((p) => !taken.has(p));
  add(pkg, words.sort(), 'gcompris-words', licence);
  const music = listRcc(`${rcc}/explore_world_music.rcc`)
    .filter((p) => IMAGE.test(p))
    .map((p) => `${rcc}/explore_world_music.rcc${RCC_SEPARATOR}${p}`);
  add(pkg, music.sort(), 'gcompris-objects', licence);
}
{
  const pkg = 'tuxpaint-stamps-default';
  const root = '/usr/share/tuxpaint/stamps/';
  const taken = new Set(rows.map((r) => r.path));
  const subjects =
    /\/(tiger\w*|lion(-2)?|bear|european-bear|bull|bison|gorilla|chimp|wildboar|rat|hornet|mantis|bee|lionfish|vulture|dingo|rhino_black|orca|iguana|syringe|explosion|fire|lightningbolt|fireworks2?|bradley|f22_raptor|infantry-stryker|ww2_german_gun|paratrooper|final-roll-call|fireman240a|skull|spider|sportscar2|indycar|sedan_police|drumkit|guitar_electric|cymbal_crash|basketball|soccer|trophy_cup|confetti|spacewalk|sheep_lamb|koala|rabbit|chick|teapot|mug|candle|rose|daffodil|lavender|moon_full|birch|wombat|cow|kitten|dog|horse|owl)\.png$/;
  const files = packageFiles(pkg).filter(
    (p) =>
      p.startsWith(root) &&
      subjects.test(p) &&
      !p.includes('/cartoon/') &&
      !/_mirror|_back|_front/.test(p) &&
      !taken.has(p),
  );
  add(pkg, files.sort(), 'tuxpaint', () => 'GPL-2');
}

const versions = new Map<string, string>();
const version = (pkg: string): string => {
  if (!versions.has(pkg)) versions.set(pkg, packageVersion(pkg));
  return versions.get(pkg) ?? '';
};
const header = ['id', 'package', 'version', 'path', 'licence', 'group'].join('\t');
const lines = rows.map((r, i) =>
  [
    `t${String(i + 1).padStart(3, '0')}`,
    r.package,
    version(r.package),
    r.path,
    r.licence,
    r.group,
  ].join('\t'),
);
const target = fileURLToPath(new URL('../../datasets/affect-train/MANIFEST.tsv', import.meta.url));
writeFileSync(target, `${header}\n${lines.join('\n')}\n`);
console.log(`${rows.length} images → ${target}`);
