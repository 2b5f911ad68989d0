/**
 * Reads images that Debian packages install: plain files, and files inside Qt resource bundles
 * (GCompris ships its pictures in .rcc files). Also matches a file against its package's
 * machine-readable copyright file (DEP-5) to find its licence. Used only by the affect training
 * scripts; nothing here is part of the engine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/** `<file.rcc>!<path inside>` names a file inside a Qt resource bundle. */
export const RCC_SEPARATOR = '!';

interface RccEntry {
  path: string;
  offset: number;
  compressed: 'none' | 'zlib' | 'zstd';
}

const rccIndex = new Map<string, { bytes: Buffer; entries: Map<string, RccEntry>; data: number }>();

/**
 * Qt's rcc format (qtbase src/corelib/io/qresource.cpp): a "qres" header with the offsets of
 * the tree, data and names; tree nodes of 14 bytes (v1) or 22 (v2+, with a timestamp); flag 2 a
 * directory, 1 zlib (with a 4-byte length prefix), 4 zstd.
 */
function openRcc(file: string): { bytes: Buffer; entries: Map<string, RccEntry>; data: number } {
  const cached = rccIndex.get(file);
  if (cached) return cached;
  const bytes = readFileSync(file);
  if (bytes.toString('latin1', 0, 4) !== 'qres')
    throw new Error(`${file} is not a Qt resource file`);
  const version = bytes.readUInt32BE(4);
  const tree = bytes.readUInt32BE(8);
  const data = bytes.readUInt32BE(12);
  const names = bytes.readUInt32BE(16);
  const nodeSize = version >= 2 ? 22 : 14;
  const nameAt = (offset: number): string => {
    const at = names + offset;
    const length = bytes.readUInt16BE(at);
    let name = '';
    for (let i = 0; i < length; i++)
      name += String.fromCharCode(bytes.readUInt16BE(at + 6 + 2 * i));
    return name;
  };
  const entries = new Map<string, RccEntry>();
  const walk = (node: number, prefix: string): void => {
    const at = tree + node * nodeSize;
    const flags = bytes.readUInt16BE(at + 4);
    const name = node === 0 ? '' : nameAt(bytes.readUInt32BE(at));
    const path = node === 0 ? '' : `${prefix}/${name}`;
    if (flags & 2) {
      const count = bytes.readUInt32BE(at + 6);
      const first = bytes.readUInt32BE(at + 10);
      for (let i = 0; i < count; i++) walk(first + i, path);
    } else {
      entries.set(path, {
        path,
        offset: bytes.readUInt32BE(at + 10),
        compressed: flags & 1 ? 'zlib' : flags & 4 ? 'zstd' : 'none',
      });
    }
  };
  walk(0, '');
  const opened = { bytes, entries, data };
  rccIndex.set(file, opened);
  return opened;
}

export function listRcc(file: string): string[] {
  return [...openRcc(file).entries.keys()].sort();
}

function readRccEntry(file: string, path: string): Buffer {
  const { bytes, entries, data } = openRcc(file);
  const entry = entries.get(path);
  if (!entry) throw new Error(`${path} not in ${file}`);
  const at = data + entry.offset;
  const size = bytes.readUInt32BE(at);
  const body = bytes.subarray(at + 4, at + 4 + size);
  if (entry.compressed === 'zlib') return inflateSync(body.subarray(4));
  if (entry.compressed === 'zstd')
    throw new Error(`${path}: zstd-compressed resources need Node 22`);
  return Buffer.from(body);
}

/** Reads `/usr/share/x.jpg` or `/usr/share/y.rcc!/inner/path.webp`. */
export function readPackagedImage(path: string): Buffer {
  const split = path.indexOf(RCC_SEPARATOR);
  if (split < 0) return readFileSync(path);
  return readRccEntry(path.slice(0, split), path.slice(split + 1));
}

export function packageVersion(pkg: string): string {
  return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).trim();
}

export function packageFiles(pkg: string): string[] {
  return execFileSync('dpkg', ['-L', pkg], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((l) => l.startsWith('/'));
}

interface Dep5Stanza {
  patterns: RegExp[];
  licence: string;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** DEP-5 "Files:" stanzas of a package's copyright file; the last match wins (per the spec). */
export function readDep5(pkg: string): Dep5Stanza[] {
  const text = readFileSync(`/usr/share/doc/${pkg}/copyright`, 'utf8');
  const stanzas: Dep5Stanza[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const files = /^Files:\s*((?:.*)(?:\n[ \t].*)*)/m.exec(block);
    const licence = /^License:\s*(.*)$/m.exec(block);
    if (!files?.[1] || !licence?.[1]) continue;
    stanzas.push({
      patterns: files[1].split(/\s+/).filter(Boolean).map(globToRegExp),
      licence: licence[1].trim(),
    });
  }
  return stanzas;
}

export function licenceFor(stanzas: Dep5Stanza[], sourcePath: string): string | undefined {
  let found: string | undefined;
  for (const s of stanzas) if (s.patterns.some((p) => p.test(sourcePath))) found = s.licence;
  return found;
}
