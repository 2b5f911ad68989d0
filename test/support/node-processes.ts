import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './test-app.js';

/**
 * A role run as its own process from the build, as in production (`node dist/main/<entry>.js`;
 * test/setup/compiled-roles.ts rebuilds it first when a source is newer).
 */
export interface NodeChild {
  proc: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

const root = path.resolve(import.meta.dirname, '../..');

export function startNode(entry: string, env: Record<string, string>): NodeChild {
  const proc = spawn(process.execPath, [`dist/main/${entry}.js`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  proc.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  proc.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    output,
    exited,
    alive: () => proc.exitCode === null && proc.signalCode === null,
  };
}

/** Resolves once the child has printed `line`; fails with its output if it exits first. */
export async function waitForLine(child: NodeChild, line: string, timeoutMs = 60_000) {
  await waitFor(async () => {
    if (child.output.join('').includes(line)) return true;
    if (!child.alive()) throw new Error(`exited before "${line}":\n${child.output.join('')}`);
    return undefined;
  }, timeoutMs);
}

export async function killHard(child: NodeChild): Promise<void> {
  if (child.alive()) child.proc.kill('SIGKILL');
  await child.exited;
}
