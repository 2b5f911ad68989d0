import { spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The process tests start each role as production does, `node dist/main/<role>.js` (tsx would
 * transform the sources again in every process: about 1.5 s of CPU per start, and the fault
 * tests start twenty). So that they never run stale code, the build is brought up to date
 * first when any source is newer than its output (`npm ci` builds it; after an edit this costs
 * one `npm run build`).
 */
export default async function setup(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '../..');
  const stale = await firstStaleOutput(root);
  if (stale === undefined) return;
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, encoding: 'utf8' },
  );
  if (build.status !== 0) {
    throw new Error(
      `the build the process tests run failed (${stale}):\n${build.stdout}${build.stderr}`,
    );
  }
}

/** The first source (not a test) whose built file is missing or older, or undefined. */
async function firstStaleOutput(root: string): Promise<string | undefined> {
  const sources = path.join(root, 'src');
  for (const entry of await readdir(sources, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = entry.name;
    const isSource = (name.endsWith('.ts') && !name.endsWith('.test.ts')) || name.endsWith('.json');
    if (!isSource) continue;
    const source = path.join(entry.parentPath, name);
    const built = path.join(root, 'dist', path.relative(sources, source)).replace(/\.ts$/, '.js');
    const [sourceStat, builtStat] = await Promise.all([
      stat(source),
      stat(built).catch(() => undefined),
    ]);
    if (!builtStat || builtStat.mtimeMs < sourceStat.mtimeMs) return path.relative(root, source);
  }
  return undefined;
}
