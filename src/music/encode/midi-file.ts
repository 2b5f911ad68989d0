import { writeMidi, type MidiData, type MidiEvent } from 'midi-file';
import type { Score, ScoreTrack } from '../compose/score.js';

/**
 * Score → Standard MIDI File (format 1): a conductor track (tempo, meter, key, section markers)
 * followed by one track per part. Event order within a tick is fixed (controls, note-offs,
 * note-ons, each by pitch) so the bytes are a pure function of the score.
 */

/** midi-file writes one byte per UTF-16 unit, so meta text must be plain ASCII to stay valid. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

interface TimedEvent {
  tick: number;
  /** Lower sorts first within the same tick. */
  order: number;
  event: MidiEvent;
}

function toTrack(events: TimedEvent[]): MidiEvent[] {
  const sorted = events
    .map((e, index) => ({ ...e, index }))
    .sort((a, b) => a.tick - b.tick || a.order - b.order || a.index - b.index);
  const track: MidiEvent[] = [];
  let last = 0;
  for (const { tick, event } of sorted) {
    track.push({ ...event, deltaTime: tick - last });
    last = tick;
  }
  return track;
}

function conductorTrack(score: Score, comment: string): MidiEvent[] {
  const events: TimedEvent[] = [
    {
      tick: 0,
      order: 0,
      event: { deltaTime: 0, meta: true, type: 'trackName', text: ascii(score.title) },
    },
    { tick: 0, order: 1, event: { deltaTime: 0, meta: true, type: 'text', text: ascii(comment) } },
    {
      tick: 0,
      order: 2,
      event: {
        deltaTime: 0,
        meta: true,
        type: 'timeSignature',
        numerator: score.beatsPerBar,
        denominator: score.beatUnit,
        metronome: 24,
        thirtyseconds: 8,
      },
    },
    {
      tick: 0,
      order: 3,
      event: {
        deltaTime: 0,
        meta: true,
        type: 'keySignature',
        key: score.keySignature.fifths,
        scale: score.keySignature.minor ? 1 : 0,
      },
    },
  ];
  for (const change of score.tempoChanges) {
    events.push({
      tick: change.tick,
      order: 4,
      event: {
        deltaTime: 0,
        meta: true,
        type: 'setTempo',
        microsecondsPerBeat: change.microsecondsPerBeat,
      },
    });
  }
  for (const section of score.sections) {
    events.push({
      tick: section.tick,
      order: 5,
      event: { deltaTime: 0, meta: true, type: 'marker', text: ascii(section.name) },
    });
  }
  events.push({
    tick: score.endTick,
    order: 99,
    event: { deltaTime: 0, meta: true, type: 'endOfTrack' },
  });
  return toTrack(events);
}

function partTrack(track: ScoreTrack, endTick: number): MidiEvent[] {
  const channel = track.channel;
  const events: TimedEvent[] = [
    {
      tick: 0,
      order: 0,
      event: { deltaTime: 0, meta: true, type: 'trackName', text: ascii(track.name) },
    },
    {
      tick: 0,
      order: 1,
      event: { deltaTime: 0, type: 'programChange', channel, programNumber: track.program },
    },
  ];
  for (const control of track.controls) {
    events.push({
      tick: control.tick,
      order: 2,
      event: {
        deltaTime: 0,
        type: 'controller',
        channel,
        controllerType: control.controller,
        value: control.value,
      },
    });
  }
  for (const note of track.notes) {
    events.push({
      tick: note.tick,
      order: 10 + note.pitch / 1000,
      event: {
        deltaTime: 0,
        type: 'noteOn',
        channel,
        noteNumber: note.pitch,
        velocity: note.velocity,
      },
    });
    events.push({
      tick: note.tick + note.duration,
      order: 3 + note.pitch / 1000,
      event: { deltaTime: 0, type: 'noteOff', channel, noteNumber: note.pitch, velocity: 0 },
    });
  }
  const lastNoteEnd = track.notes.reduce((end, n) => Math.max(end, n.tick + n.duration), 0);
  events.push({
    tick: Math.max(endTick, lastNoteEnd),
    order: 99,
    event: { deltaTime: 0, meta: true, type: 'endOfTrack' },
  });
  return toTrack(events);
}

export function writeScoreToMidi(score: Score, comment: string): Uint8Array {
  const tracks = [
    conductorTrack(score, comment),
    ...score.tracks.map((t) => partTrack(t, score.endTick)),
  ];
  const data: MidiData = {
    header: { format: 1, numTracks: tracks.length, ticksPerBeat: score.ticksPerBeat },
    tracks,
  };
  return Uint8Array.from(writeMidi(data));
}
