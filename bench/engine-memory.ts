/**
 * Memory of one render (a benchmark, not a test): `npm run bench:memory`. Each figure is a fresh
 * process (bench/engine-once.ts) making image → labelled 60 s MP3 + WAV from the shared parrots
 * picture, seed 7, median of MEMORY_RUNS (default 3):
 *  - the process's peak resident memory (VmHWM: every thread, the render threads included);
 *  - the peak before the render starts and the resident memory once the picture has been read;
 *  - what the render adds: the peak over the resident memory of a process that has only read
 *    the picture (the vision models loaded, no bank, no render threads).
 * Run from the TypeScript sources (tsx) and, when it builds, as compiled JavaScript (as the
 * service runs it; tsx costs every thread a compiler).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.MEMORY_RUNS ?? 3);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMAGE = path.join(ROOT, '../shared/data/images/kodak_kodim23_parrots.jpg');

interface Once {
  maxRssMiB: number;
  rssMiB?: number;
  afterPerceptionRssMiB?: number;
  peakBeforeRenderMiB?: number;
  sampledMaxRssMiB?: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

function once(entry: string[], args: string[]): Once {
  const out = execFileSync(process.execPath, [...entry, IMAGE, ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Once;
}

function medianOf(entry: string[], args: string[]): Required<Once> {
  const runs = Array.from({ length: RUNS }, () => once(entry, args));
  const m = (k: keyof Once): number => median(runs.map((r) => r[k] ?? NaN));
  return {
    maxRssMiB: m('maxRssMiB'),
    rssMiB: m('rssMiB'),
    afterPerceptionRssMiB: m('afterPerceptionRssMiB'),
    peakBeforeRenderMiB: m('peakBeforeRenderMiB'),
    sampledMaxRssMiB: m('sampledMaxRssMiB'),
  };
}

/** Compiles the engine and this bench's entry (tsc, only what they reach) beside node_modules. */
function compiledEntry(): string | null {
  const out = path.join(ROOT, 'node_modules/.cache/instune-bench-memory');
  mkdirSync(out, { recursive: true });
  const tsconfig = path.join(out, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(ROOT, 'tsconfig.json'),
      compilerOptions: { noEmit: false, sourceMap: false, rootDir: ROOT, outDir: out },
      include: [],
      // The worker modules are started by URL, not imported: name them.
      files: [
        'bench/engine-once.ts',
        'src/music/mix/part-render-worker.ts',
        'src/music/engine-worker.ts',
        'src/music/perception/perception-worker.ts',
      ].map((f) => path.join(ROOT, f)),
    }),
  );
  try {
    execFileSync('npx', ['tsc', '-p', tsconfig], { stdio: 'ignore', cwd: ROOT });
  } catch {
    return null;
  }
  return path.join(out, 'bench/engine-once.js');
}

const f = (v: number): string => `${Math.round(v)} MiB`.padStart(8);

function report(label: string, entry: string[]): void {
  const base = medianOf(entry, ['--perceive-only']);
  console.log(`\n== ${label}: image → labelled 60 s MP3 + WAV, seed 7, median of ${RUNS} ==`);
  console.log(`  a process that has only read the picture: ${f(base.rssMiB)} resident`);
  console.log(
    '  render                       peak   before render   after perception   render adds',
  );
  for (const [name, args] of [
    ['1 thread', ['1']],
    ['2 threads', ['2']],
    ['2 threads + stems', ['2', '--stems']],
    // As the command line runs: the picture read on a thread ended before the render.
    ['2 threads, perc. thread', ['2', '--perception-thread']],
  ] as const) {
    const r = medianOf(entry, [...args]);
    console.log(
      `  ${name.padEnd(24)} ${f(r.maxRssMiB)}        ${f(r.peakBeforeRenderMiB)}           ` +
        `${f(r.afterPerceptionRssMiB)}      ${f(r.maxRssMiB - base.rssMiB)}`,
    );
  }
}

report('from the sources (tsx)', ['--import', 'tsx', path.join(ROOT, 'bench/engine-once.ts')]);
const compiled = compiledEntry();
if (compiled) report('compiled JavaScript (as the service runs)', [compiled]);
else console.log('\n(compiled run skipped: tsc failed)');
