import { createHash } from 'node:crypto';
import { concatBytes } from '../bytes.js';

/**
 * Implicit AI-generated-content label (China's labelling measures, GB 45438-2025): an `AIGC`
 * JSON object carried in the file's metadata — an ID3v2.4 `TXXX` frame with description "AIGC"
 * in MP3, a RIFF chunk with id "AIGC" in WAV, and in MIDI a text meta event "AIGC {json}" in a
 * track of its own. Written by hand (a few dozen bytes of framing) so
 * the bytes stay a pure function of the inputs and the reader below can check every file we
 * write. node-id3 reads our tag back as `userDefinedText` (tested), so other tools agree.
 */

export interface AigcLabel {
  /** "1": AI-generated content (the standard's value for content known to be generated). */
  Label: '1';
  ContentProducer: string;
  /** The producer's id for this piece: the generation id. */
  ProduceID: string;
  /** Reserved for the producer's integrity protection: we put "sha256:<hex>" of the audio data. */
  ReservedCode1: string;
  ContentPropagator: string;
  PropagateID: string;
  ReservedCode2: string;
}

export const CONTENT_PRODUCER = 'Instune';
const FIELDS = [
  'Label',
  'ContentProducer',
  'ProduceID',
  'ReservedCode1',
  'ContentPropagator',
  'PropagateID',
  'ReservedCode2',
] as const satisfies readonly (keyof AigcLabel)[];

export interface AigcLabelInput {
  produceId: string;
  /** Whoever distributes the file; Instune itself serves the download. */
  propagator?: string;
  propagateId?: string;
}

export function sha256Code(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function createLabel(input: AigcLabelInput, audioData: Uint8Array): AigcLabel {
  return {
    Label: '1',
    ContentProducer: CONTENT_PRODUCER,
    ProduceID: input.produceId,
    ReservedCode1: sha256Code(audioData),
    ContentPropagator: input.propagator ?? CONTENT_PRODUCER,
    PropagateID: input.propagateId ?? input.produceId,
    ReservedCode2: '',
  };
}

/** Fixed key order, so the JSON (and the file) is byte-stable. */
function labelJson(label: AigcLabel): string {
  return JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, label[f]])));
}

function parseLabel(json: string): AigcLabel | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const label: Record<string, string> = {};
  for (const field of FIELDS) {
    const v = record[field];
    if (v === undefined && field !== 'Label' && field !== 'ContentProducer') {
      label[field] = '';
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number') return null;
    label[field] = String(v);
  }
  return label.Label === '1' ? (label as unknown as AigcLabel) : null;
}

const utf8 = new TextEncoder();
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const sameBytes = (a: Uint8Array, b: Uint8Array, at: number): boolean =>
  b.every((v, i) => a[at + i] === v);

// ---------------------------------------------------------------------------------------------
// MP3: ID3v2.4 tag with TXXX:AIGC

function syncsafe(n: number): Uint8Array {
  if (n >= 2 ** 28) throw new Error('ID3 size too large');
  return Uint8Array.of((n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f);
}
const readSyncsafe = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) << 21) | ((b[at + 1] ?? 0) << 14) | ((b[at + 2] ?? 0) << 7) | (b[at + 3] ?? 0);
const readUint32BE = (b: Uint8Array, at: number): number =>
  (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>>
  0;

function id3Tag(label: AigcLabel): Uint8Array {
  // Text encoding 3 = UTF-8; description, NUL, value.
  const body = concatBytes([
    Uint8Array.of(3),
    ascii('AIGC'),
    Uint8Array.of(0),
    utf8.encode(labelJson(label)),
  ]);
  const frame = concatBytes([ascii('TXXX'), syncsafe(body.length), Uint8Array.of(0, 0), body]);
  return concatBytes([ascii('ID3'), Uint8Array.of(4, 0, 0), syncsafe(frame.length), frame]);
}

/** Prepends an ID3v2.4 tag holding the label to bare MP3 frames (which must carry no tag yet). */
export function labelMp3(frames: Uint8Array, input: AigcLabelInput): Uint8Array {
  if (sameBytes(frames, ascii('ID3'), 0)) throw new Error('MP3 already carries an ID3v2 tag');
  const label = createLabel(input, frames);
  const out = concatBytes([id3Tag(label), frames]);
  requireLabelReadsBack(out, label);
  return out;
}

function decodeText(encoding: number, bytes: Uint8Array): string {
  if (encoding === 0) return String.fromCharCode(...bytes);
  if (encoding === 3) return new TextDecoder('utf-8').decode(bytes);
  if (encoding === 2) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-16').decode(bytes); // 1: UTF-16 with BOM
}

/** Splits a TXXX body into description and value at the (encoding-width) NUL terminator. */
function splitTxxx(body: Uint8Array): { description: string; value: string } | null {
  const encoding = body[0] ?? 0;
  const wide = encoding === 1 || encoding === 2;
  for (let i = 1; i < body.length; i += wide ? 2 : 1) {
    if (body[i] === 0 && (!wide || body[i + 1] === 0)) {
      const end = i + (wide ? 2 : 1);
      return {
        description: decodeText(encoding, body.subarray(1, i)),
        value: decodeText(encoding, body.subarray(end)).replace(/\0+$/, ''),
      };
    }
  }
  return null;
}

function readId3Aigc(bytes: Uint8Array): AigcLabel | null {
  const version = bytes[3] ?? 0;
  if (version !== 3 && version !== 4) return null;
  const flags = bytes[5] ?? 0;
  const end = Math.min(bytes.length, 10 + readSyncsafe(bytes, 6));
  let offset = 10;
  if (flags & 0x40) {
    offset += version === 4 ? readSyncsafe(bytes, 10) : readUint32BE(bytes, 10) + 4;
  }
  while (offset + 10 <= end) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding
    const size = version === 4 ? readSyncsafe(bytes, offset + 4) : readUint32BE(bytes, offset + 4);
    const body = bytes.subarray(offset + 10, Math.min(end, offset + 10 + size));
    if (id === 'TXXX') {
      const txxx = splitTxxx(body);
      if (txxx?.description === 'AIGC') return parseLabel(txxx.value);
    }
    offset += 10 + size;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// WAV: RIFF chunk "AIGC"

/** The RIFF chunk for a WAV writer: id "AIGC", little-endian size, JSON, pad to even length. */
export function aigcRiffChunk(
  input: AigcLabelInput,
  pcmData: Uint8Array,
): {
  chunk: Uint8Array;
  label: AigcLabel;
} {
  const label = createLabel(input, pcmData);
  const json = utf8.encode(labelJson(label));
  const header = new Uint8Array(8);
  header.set(ascii('AIGC'));
  new DataView(header.buffer).setUint32(4, json.length, true);
  const pad = json.length % 2 === 1 ? Uint8Array.of(0) : new Uint8Array(0);
  return { chunk: concatBytes([header, json, pad]), label };
}

function readRiffAigc(bytes: Uint8Array): AigcLabel | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (id === 'AIGC') {
      return parseLabel(
        new TextDecoder('utf-8').decode(bytes.subarray(offset + 8, offset + 8 + size)),
      );
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// MIDI: a last track holding a text meta event "AIGC {json}"

const MIDI_TEXT_PREFIX = 'AIGC ';

/** Variable-length quantity, as MIDI writes lengths and delta times. */
function vlq(n: number): Uint8Array {
  const bytes = [n & 0x7f];
  for (let rest = n >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return Uint8Array.from(bytes);
}

function readVlq(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let offset = at;
  for (let i = 0; i < 4; i++) {
    const b = bytes[offset++] ?? 0;
    value = (value << 7) | (b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  return { value, next: offset };
}

const uint32BE = (n: number): Uint8Array =>
  Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

/**
 * Appends a track named "AIGC label" whose text event carries the label to a Standard MIDI File
 * (format 1; our writer's output). ReservedCode1 is the SHA-256 of the file as it was before.
 */
export function labelMidi(midi: Uint8Array, input: AigcLabelInput): Uint8Array {
  if (!sameBytes(midi, ascii('MThd'), 0) || ((midi[8] ?? 0) << 8) + (midi[9] ?? 0) !== 1) {
    throw new Error('only format-1 Standard MIDI Files can be labelled');
  }
  if (readMidiAigc(midi)) throw new Error('MIDI already carries an AIGC label');
  const label = createLabel(input, midi);
  const text = utf8.encode(MIDI_TEXT_PREFIX + labelJson(label));
  const name = ascii('AIGC label');
  const events = concatBytes([
    Uint8Array.of(0, 0xff, 0x03),
    vlq(name.length),
    name,
    Uint8Array.of(0, 0xff, 0x01),
    vlq(text.length),
    text,
    Uint8Array.of(0, 0xff, 0x2f, 0),
  ]);
  const out = concatBytes([midi, ascii('MTrk'), uint32BE(events.length), events]);
  const tracks = (((midi[10] ?? 0) << 8) | (midi[11] ?? 0)) + 1;
  out[10] = (tracks >> 8) & 0xff;
  out[11] = tracks & 0xff;
  requireLabelReadsBack(out, label);
  return out;
}

/** Finds a text meta event starting "AIGC " in any track (running status is followed). */
function readMidiAigc(bytes: Uint8Array): AigcLabel | null {
  let offset = 8 + readUint32BE(bytes, 4);
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const end = Math.min(bytes.length, offset + 8 + readUint32BE(bytes, offset + 4));
    if (id === 'MTrk') {
      let at = offset + 8;
      let status = 0;
      while (at < end) {
        at = readVlq(bytes, at).next; // delta time
        const first = bytes[at] ?? 0;
        if (first === 0xff) {
          const type = bytes[at + 1] ?? 0;
          const length = readVlq(bytes, at + 2);
          const data = bytes.subarray(length.next, length.next + length.value);
          if (type === 0x01) {
            const text = new TextDecoder('utf-8').decode(data);
            if (text.startsWith(MIDI_TEXT_PREFIX)) {
              return parseLabel(text.slice(MIDI_TEXT_PREFIX.length));
            }
          }
          at = length.next + length.value;
        } else if (first === 0xf0 || first === 0xf7) {
          const length = readVlq(bytes, at + 1);
          at = length.next + length.value;
        } else {
          if (first & 0x80) {
            status = first;
            at += 1;
          }
          const kind = status & 0xf0;
          at += kind === 0xc0 || kind === 0xd0 ? 1 : 2;
        }
      }
    }
    offset = end;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/**
 * Reads the implicit AIGC label from MP3 (ID3v2.3/2.4 TXXX:AIGC), WAV (RIFF AIGC) or MIDI
 * (text event "AIGC {json}") bytes.
 */
export function readAigcLabel(bytes: Uint8Array): AigcLabel | null {
  if (sameBytes(bytes, ascii('ID3'), 0)) return readId3Aigc(bytes);
  if (sameBytes(bytes, ascii('RIFF'), 0) && sameBytes(bytes, ascii('WAVE'), 8)) {
    return readRiffAigc(bytes);
  }
  if (sameBytes(bytes, ascii('MThd'), 0)) return readMidiAigc(bytes);
  return null;
}

/** The labelling measures ask us to make sure the label is really there: read it back. */
export function requireLabelReadsBack(bytes: Uint8Array, expected: AigcLabel): void {
  const found = readAigcLabel(bytes);
  if (!found || labelJson(found) !== labelJson(expected)) {
    throw new Error('the AIGC label did not read back from the written file');
  }
}
