import { getPriority, setPriority } from 'node:os';

/**
 * How much lower than the rest of the process the engine's threads run (a nice value: 0 is
 * normal, 19 the lowest). At 10 the kernel gives a normal thread about nine times the CPU
 * share of an engine thread when both want it, so in the all-in-one default (web, database and
 * rendering in one process on a small machine) page and API requests are served promptly while
 * music renders, and a dedicated worker's event loop keeps its job heartbeats on time. Rendering
 * still takes every idle cycle, so a render alone is as fast as before.
 */
export const ENGINE_THREAD_NICENESS = 10;

/**
 * Lowers the calling thread's scheduling priority. On Linux a priority belongs to a thread, so
 * this touches only the worker thread that calls it; elsewhere it may apply to the whole process
 * or be refused, and then rendering simply runs at normal priority.
 */
export function runInBackground(niceness = ENGINE_THREAD_NICENESS): void {
  try {
    if (getPriority(0) < niceness) setPriority(0, niceness);
  } catch {
    // Not permitted or not supported here: a render at normal priority is still correct.
  }
}
