import type { ServerResponse } from "node:http";

/**
 * Writes `data` as one write, or as writes of at most `chunkBytes` bytes so that clients see
 * boundaries at arbitrary byte offsets (mid-line, mid-UTF-8 character). `done` runs once the
 * last piece has been handed to the socket.
 */
export function writeSplit(res: ServerResponse, data: string | Buffer, chunkBytes: number | undefined, done?: () => void): void {
  if (chunkBytes === undefined || chunkBytes <= 0) {
    if (done === undefined) res.write(data);
    else res.write(data, () => done());
    return;
  }
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  if (bytes.length === 0) {
    done?.();
    return;
  }
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    const piece = bytes.subarray(offset, offset + chunkBytes);
    const isLast = offset + chunkBytes >= bytes.length;
    if (isLast && done !== undefined) res.write(piece, () => done());
    else res.write(piece);
  }
}
