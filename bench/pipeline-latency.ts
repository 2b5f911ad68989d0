/**
 * Compose → playable, one piece at a time on idle workers, split into where the time goes (used
 * by the load bench). Client-side instants are taken the way a browser would see them: the
 * submit's 202, each stage event on the generation's event stream, the done event, and the first
 * 64 KiB of the MP3 (what a player needs to start). Server-side instants come from the row:
 * started_at (a worker took the job) and finished_at (the done commit). All on one machine, so
 * one wall clock serves both sides.
 */
import type { Db } from '../src/db/database.js';
import { multipartBody } from '../test/support/multipart.js';

export interface BenchUser {
  cookie: string;
  csrf: string;
}

/** Milliseconds of one piece's journey. */
export interface PieceTimings {
  seconds: number;
  /** POST sent → 202 received (upload, validation, storing the photo, the enqueue commit). */
  submit: number;
  /** 202 received → a worker started the job (generations.started_at). */
  pickup: number;
  /** Stage → time until the next stage event arrived. */
  stages: Record<string, number>;
  /** started_at → finished_at: what the worker spent (safety check, engine, storing). */
  worker: number;
  /** analysing → storing events: safety check, perception, compose, render, encode. */
  engine: number;
  /** finished_at (done commit) → the done event reached the client. */
  notify: number;
  /** done event → first 64 KiB of the MP3 received. */
  firstAudio: number;
  /** POST sent → first 64 KiB of the MP3: Compose → playable. */
  total: number;
  /** Did the audio endpoint answer a Range request with 206? */
  ranged: boolean;
}

const PLAYABLE_BYTES = 64 * 1024;
const stageOrder = ['queued', 'analysing', 'composing', 'rendering', 'encoding', 'storing', 'done'];

interface View {
  id: string;
  status: string;
  stage: string;
}

export async function measurePiece(
  base: string,
  user: BenchUser,
  db: Db,
  photo: Buffer,
  seconds: number,
  limitMs = 120_000,
): Promise<PieceTimings> {
  const { payload, headers } = multipartBody(
    { seconds: String(seconds) },
    { filename: 'x.jpg', contentType: 'image/jpeg', bytes: photo },
  );
  const sent = Date.now();
  const res = await fetch(`${base}/api/generations`, {
    method: 'POST',
    body: new Uint8Array(payload),
    headers: {
      ...headers,
      cookie: user.cookie,
      'x-csrf-token': user.csrf,
      accept: 'application/json',
    },
  });
  const accepted = Date.now();
  if (res.status !== 202) throw new Error(`submit: HTTP ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as View;

  const seen = new Map<string, number>();
  await followEvents(base, user, id, seen, sent + limitMs);
  const doneAt = seen.get('done');
  if (doneAt === undefined)
    throw new Error(`piece ${id} did not finish: ${[...seen.keys()].join(', ')}`);

  const audio = await fetch(`${base}/api/generations/${id}/audio?format=mp3`, {
    headers: { cookie: user.cookie, range: `bytes=0-${PLAYABLE_BYTES - 1}` },
  });
  let received = 0;
  const reader = audio.body?.getReader();
  while (reader && received < PLAYABLE_BYTES) {
    const chunk = await reader.read();
    if (chunk.done) break;
    received += chunk.value.byteLength;
  }
  const playable = Date.now();
  await reader?.cancel();

  const row = await db
    .selectFrom('generations')
    .select(['started_at', 'finished_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const startedAt = row.started_at?.getTime() ?? NaN;
  const finishedAt = row.finished_at?.getTime() ?? NaN;
  const stages: Record<string, number> = {};
  const ordered = stageOrder.filter((s) => seen.has(s));
  for (let i = 0; i + 1 < ordered.length; i++) {
    const from = ordered[i] as string;
    const to = ordered[i + 1] as string;
    stages[from] = (seen.get(to) ?? 0) - (seen.get(from) ?? 0);
  }
  const engineStart = seen.get('analysing') ?? startedAt;
  return {
    seconds,
    submit: accepted - sent,
    pickup: Math.max(0, startedAt - accepted),
    stages,
    worker: finishedAt - startedAt,
    engine: (seen.get('storing') ?? doneAt) - engineStart,
    notify: Math.max(0, doneAt - finishedAt),
    firstAudio: playable - doneAt,
    total: playable - sent,
    ranged: audio.status === 206,
  };
}

/**
 * Reads the generation's event stream and notes when each stage first arrived; falls back to
 * asking once every 100 ms when the stream ends early (as the page's script does, but faster, so
 * the fallback does not dominate what is measured).
 */
async function followEvents(
  base: string,
  user: BenchUser,
  id: string,
  seen: Map<string, number>,
  deadline: number,
): Promise<void> {
  const note = (view: View) => {
    if (!seen.has(view.stage)) seen.set(view.stage, Date.now());
    return view.status === 'done' || view.status === 'failed';
  };
  const stream = await fetch(`${base}/api/generations/${id}/events`, {
    headers: { cookie: user.cookie, accept: 'text/event-stream' },
  });
  const reader = stream.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let finished = false;
  while (reader && !finished && Date.now() < deadline) {
    const chunk = await reader.read();
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end < 0) break;
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data && note(JSON.parse(data) as View)) finished = true;
    }
  }
  await reader?.cancel().catch(() => {});
  while (!finished && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await fetch(`${base}/api/generations/${id}`, {
      headers: { cookie: user.cookie, accept: 'application/json' },
    });
    finished = note((await res.json()) as View);
  }
}

const median = (values: number[]): number => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The medians of several pieces of one length, as lines to print. */
export function describeTimings(runs: PieceTimings[]): string[] {
  const m = (pick: (t: PieceTimings) => number) => Math.round(median(runs.map(pick)));
  const seconds = runs[0]?.seconds ?? 0;
  const stageNames = stageOrder.filter((s) => runs.some((r) => s in r.stages));
  // What the pipeline adds around the worker's own work (safety check, engine, storing).
  const overhead = m((r) => r.total - r.worker);
  return [
    `${seconds} s pieces, median of ${runs.length} (ms):`,
    `  submit (POST → 202)                 ${m((r) => r.submit)}`,
    `  enqueue → start (202 → started_at)  ${m((r) => r.pickup)}`,
    `  stages (client-observed)            ${stageNames.map((s) => `${s} ${m((r) => r.stages[s] ?? NaN)}`).join(', ')}`,
    `  worker (started_at → finished_at)   ${m((r) => r.worker)}`,
    `  engine (analysing → storing)        ${m((r) => r.engine)}`,
    `  done → client notified              ${m((r) => r.notify)}`,
    `  done event → first 64 KiB of MP3    ${m((r) => r.firstAudio)}  (Range answered 206: ${runs.every((r) => r.ranged) ? 'yes' : 'no'})`,
    `  Compose → playable                  ${m((r) => r.total)}  = worker + ${overhead}`,
  ];
}
