import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';
import type { VaultFile } from '../adapters/storage/object-vault.js';
import { AppError } from '../lib/errors.js';

/**
 * Sends a stored file, whole or one byte range of it (RFC 9110 §14): `Accept-Ranges: bytes`
 * always, `206` with `Content-Range` for a single satisfiable range, `416` with an unsatisfied
 * `Content-Range` (an asterisk, then the size) for one that is not. Several ranges, another unit
 * or a malformed header get the whole file, as the RFC allows. Players seek with these requests;
 * the file is decrypted chunk by chunk as it streams, never held whole.
 */
export function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: VaultFile,
  meta: { contentType: string; filename: string },
): FastifyReply {
  void reply.header('accept-ranges', 'bytes').header('cache-control', 'private, no-store');
  let start = 0;
  let end = file.size - 1;
  let partial = false;
  const header = request.headers.range;
  // If-Range names a validator; we send none (no ETag, no Last-Modified), so none can match.
  if (typeof header === 'string' && request.headers['if-range'] === undefined) {
    const ranges = parseRange(file.size, header, { combine: true });
    if (ranges === -1) {
      void reply.header('content-range', `bytes */${file.size}`);
      throw AppError.because(
        'range_outside_file',
        `the requested range is outside the file (${file.size} bytes)`,
        {},
        { size: file.size },
      );
    }
    const [only] = ranges === -2 ? [] : ranges;
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1 && only) {
      ({ start, end } = only);
      partial = true;
    }
  }
  // Only now: a refusal above is a JSON error body, not the file's type.
  void reply
    .header('content-type', meta.contentType)
    .header('content-disposition', `attachment; filename="${meta.filename}"`);
  if (file.size === 0) return reply.status(200).header('content-length', 0).send('');
  void reply.status(partial ? 206 : 200).header('content-length', end - start + 1);
  if (partial) void reply.header('content-range', `bytes ${start}-${end}/${file.size}`);
  return reply.send(Readable.from(file.read(start, end)));
}
