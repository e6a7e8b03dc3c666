/** A COPY … FROM STDIN statement (without its FROM) and its rows in COPY text format. */
export interface CopyIn {
  statement: string;
  text: string;
}

/**
 * A node-postgres submittable (the interface pg-cursor and pg-copy-streams plug into `client.query`):
 * one simple Query holding several `COPY … FROM STDIN` statements, with each one's rows (a CopyData
 * message and CopyDone) written right behind it, all in one write. The server runs the COPYs in turn,
 * each reading its rows from what was sent, so the whole lot costs one round trip instead of two per
 * COPY (pg-copy-streams waits for each CopyInResponse before it sends rows). When a COPY fails the
 * server skips the statements after it and ignores the rows still to come, as the protocol says it
 * must for a COPY that failed; the transaction the query runs in is then aborted, as after any error.
 *
 * Written here, not taken from a library, because a measurement pays for it: a call-log batch of 20
 * calls cost the writing process 78 µs of CPU per call and the Postgres backend 72 with a round trip per
 * statement (pg-copy-streams), 48 and 59 with this (batches of 500: 12.0 → 8.9 µs in the process).
 */
export class PgCopyQuery {
  /** Settles when the server is ready for the next query: rejected with the first error. */
  readonly done: Promise<void>;
  private readonly message: Buffer;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;

  constructor(copies: readonly CopyIn[]) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.message = encodeMessage(copies);
  }

  submit(connection: { stream: { write(data: Buffer): unknown } }): void {
    connection.stream.write(this.message);
  }

  handleError(error: unknown): void {
    this.reject(error);
  }

  handleReadyForQuery(): void {
    this.resolve();
  }

  // The rows were sent with the query; what else the server answers needs nothing.
  handleCopyInResponse(): void {}
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Query ('Q', length, the statements as one C string), then per COPY: CopyData ('d', length, rows) and CopyDone ('c'). */
function encodeMessage(copies: readonly CopyIn[]): Buffer {
  const query = copies.map((copy) => `${copy.statement} from stdin`).join("; ");
  const queryBytes = Buffer.byteLength(query);
  const rowBytes = copies.map((copy) => Buffer.byteLength(copy.text));
  const size = 5 + queryBytes + 1 + rowBytes.reduce((sum, bytes) => sum + (bytes > 0 ? 5 + bytes : 0) + 5, 0);
  const message = Buffer.allocUnsafe(size);
  let at = header(message, 0, 0x51, 4 + queryBytes + 1);
  at += message.write(query, at);
  message[at++] = 0;
  copies.forEach((copy, i) => {
    const bytes = rowBytes[i]!;
    if (bytes > 0) {
      at = header(message, at, 0x64, 4 + bytes);
      at += message.write(copy.text, at);
    }
    at = header(message, at, 0x63, 4);
  });
  return message;
}

function header(message: Buffer, at: number, code: number, length: number): number {
  message[at] = code;
  message.writeUInt32BE(length, at + 1);
  return at + 5;
}
