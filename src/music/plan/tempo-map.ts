import { TICKS_PER_BEAT } from '../compose/score.js';

export interface TempoChange {
  tick: number;
  microsecondsPerBeat: number;
}

/**
 * The tempo map: steady, then a ritardando over the last `bars` bars that eases from the tempo
 * to `factor` of it, one change per beat; `fermata` (0..1) holds the final bar longer still, by
 * up to its own length, as a player lingers on the last chord. Returns the changes and the
 * playing time in seconds.
 */
export function tempoMap(
  tempoBpm: number,
  barTicks: number,
  totalBars: number,
  factor: number,
  bars: number,
  fermata = 0,
): { changes: TempoChange[]; seconds: number } {
  const quarter = 60_000_000 / tempoBpm;
  const totalTicks = totalBars * barTicks;
  const changes: TempoChange[] = [{ tick: 0, microsecondsPerBeat: Math.round(quarter) }];
  if ((factor !== 1 && bars > 0) || fermata > 0) {
    const rallBars = Math.min(totalBars, Math.max(bars, fermata > 0 ? 1 : 0));
    const rallStart = (totalBars - rallBars) * barTicks;
    const finalBar = (totalBars - 1) * barTicks;
    const beats = (totalTicks - rallStart) / TICKS_PER_BEAT;
    for (let i = 0; i < beats; i++) {
      const tick = rallStart + i * TICKS_PER_BEAT;
      const t = (i + 1) / beats; // ease in: slow gently at first, more at the very end
      let speed = 1 - (1 - factor) * t * t;
      if (tick >= finalBar) speed /= 1 + fermata;
      changes.push({ tick, microsecondsPerBeat: Math.round(quarter / speed) });
    }
  }
  const byTick = new Map<number, number>();
  for (const c of changes) byTick.set(c.tick, c.microsecondsPerBeat);
  const merged = [...byTick]
    .map(([tick, microsecondsPerBeat]) => ({ tick, microsecondsPerBeat }))
    .sort((a, b) => a.tick - b.tick);
  let micros = 0;
  merged.forEach((change, i) => {
    const end = merged[i + 1]?.tick ?? totalTicks;
    micros += change.microsecondsPerBeat * ((end - change.tick) / TICKS_PER_BEAT);
  });
  return { changes: merged, seconds: micros / 1e6 };
}
