import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Compiled code (dist/) starts the sibling .js file. Under Vitest or tsx the sources are .ts,
 * which a bare worker cannot load: there a two-line bootstrap registers tsx's loader (a dev
 * dependency) in the worker first. Used by the compose pool and the render threads alike. (`execArgv: ['--import', 'tsx']` does not reach worker
 * threads on Node 20.)
 */
function tsxEsmApiPath(): string {
  // The ESM build of tsx's API (require.resolve would give the CommonJS one, which cannot
  // register ESM hooks when imported).
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const pkg = require(manifest) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import?.default;
  if (!entry) throw new Error('tsx is needed to run engine workers from TypeScript sources');
  return fileURLToPath(new URL(entry, pathToFileURL(manifest)));
}

/** Starts `js` (a URL of a compiled worker module) or, beside it, its `.ts` source under tsx. */
export function startWorker(js: URL, workerData?: unknown): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL(js.href.replace(/\.js$/, '.ts')).href;
  const tsxApi = pathToFileURL(tsxEsmApiPath()).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(ts)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
