import { describe, expect, it } from 'vitest';
import { measureIntegratedLoudness } from './loudness.js';
import { masterAudio } from './master.js';
import { measureTruePeakDb, TruePeakMeter } from './true-peak.js';
import type { StereoAudio } from '../render/render.js';

const RATE = 44_100;

function sine(frequency: number, amplitude: number, seconds: number, phase = 0): StereoAudio {
  const n = Math.round(seconds * RATE);
  const left = new Float32Array(n);
  for (let i = 0; i < n; i++)
    left[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE + phase);
  return { sampleRate: RATE, left, right: left.slice() };
}

/** Decaying plucks: peaky material, like piano, that needs the limiter at −14 LUFS. */
function plucks(seconds: number, amplitude: number): StereoAudio {
  const n = Math.round(seconds * RATE);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i % (RATE / 2)) / RATE;
    const env = Math.exp(-t * 12);
    left[i] = amplitude * env * Math.sin(2 * Math.PI * 440 * t);
    right[i] = amplitude * env * Math.sin(2 * Math.PI * 660 * t);
  }
  return { sampleRate: RATE, left, right };
}

describe('measureIntegratedLoudness (BS.1770)', () => {
  it('reads a 997 Hz stereo sine at amplitude 0.1 as −20 LUFS', () => {
    expect(measureIntegratedLoudness(sine(997, 0.1, 5))).toBeCloseTo(-20, 1);
  });

  it('weights low frequencies down (K-weighting high-pass)', () => {
    const low = measureIntegratedLoudness(sine(30, 0.1, 5));
    expect(low).not.toBeNull();
    expect(low ?? 0).toBeLessThan(-21);
  });

  it('returns null for silence', () => {
    expect(measureIntegratedLoudness(sine(997, 0, 2))).toBeNull();
  });
});

describe('measureTruePeakDb', () => {
  it('finds the peak between samples', () => {
    // fs/4 sine sampled at 45°: every sample is ±0.707 but the waveform reaches ±1.
    const audio = sine(RATE / 4, 1, 1, Math.PI / 4);
    let samplePeak = 0;
    for (const v of audio.left) samplePeak = Math.max(samplePeak, Math.abs(v));
    expect(20 * Math.log10(samplePeak)).toBeCloseTo(-3, 0);
    expect(measureTruePeakDb(audio)).toBeGreaterThan(-0.5);
  });

  it('gives the same figure to the bit when the signal comes in pieces (TruePeakMeter)', () => {
    let state = 1;
    const random = (): number => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 120; trial++) {
      // Empty and tiny signals, then up to 20 000 samples with sparse overs between the samples.
      const n = trial < 20 ? trial * 7 : Math.floor(random() * 20_000);
      const level = random();
      const left = new Float32Array(n);
      const right = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        left[i] = (random() - 0.5) * (random() < 0.01 ? 2 : level) * Math.sin(i / 30);
        right[i] = (random() - 0.5) * level;
      }
      const meter = new TruePeakMeter();
      for (let at = 0; at < n;) {
        const length = 1 + Math.floor(random() * (trial % 3 === 0 ? 40 : 3000));
        meter.push(left.subarray(at, at + length), right.subarray(at, at + length));
        at += length;
      }
      expect(meter.finish()).toBe(measureTruePeakDb({ sampleRate: RATE, left, right }));
    }
  });
});

describe('masterAudio', () => {
  it('brings quiet music up to −14 LUFS under −1 dBTP', () => {
    const { audio, report } = masterAudio(sine(440, 0.02, 8));
    expect(report.outputLufs).toBeCloseTo(-14, 0);
    expect(report.truePeakDb).toBeLessThanOrEqual(-1);
    expect(measureTruePeakDb(audio)).toBeLessThanOrEqual(-1);
    expect(report.gainDb).toBeGreaterThan(15);
  });

  it('tames clipping input with the limiter instead of clipping', () => {
    const { audio, report } = masterAudio(plucks(8, 1.6));
    expect(report.truePeakDb).toBeLessThanOrEqual(-1);
    let peak = 0;
    for (const v of audio.left) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeLessThan(0.9);
    expect(report.outputLufs ?? 0).toBeGreaterThan(-20);
    expect(report.outputLufs ?? 0).toBeLessThan(-13.5);
  });

  it('brings peaky material to the target too (crest factor taken down first)', () => {
    // Sparse plucks have a crest factor far above what −14 LUFS under −1 dBTP leaves room for:
    // the old master gave up at its limiter cap and delivered them ~1 LU quiet.
    const compression = { thresholdDb: 3, ratio: 2, attackMs: 10, releaseMs: 150 };
    const { audio, report } = masterAudio(plucks(8, 0.05), { compression });
    expect(report.outputLufs ?? 0).toBeGreaterThan(-14.5);
    expect(report.outputLufs ?? 0).toBeLessThan(-13.5);
    expect(measureTruePeakDb(audio)).toBeLessThanOrEqual(-1);
    expect(report.compressionDb).toBeGreaterThan(0);
  });

  it('fades the end to silence', () => {
    const { audio } = masterAudio(sine(440, 0.3, 4), { fadeOutSeconds: 1 });
    expect(Math.abs(audio.left.at(-1) ?? 1)).toBeLessThan(1e-4);
  });

  it('leaves silence alone', () => {
    const { report } = masterAudio(sine(440, 0, 2));
    expect(report.inputLufs).toBeNull();
    expect(report.gainDb).toBe(0);
  });
});
