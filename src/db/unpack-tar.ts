import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

const BLOCK = 512;
/** Trailing runs of whole zero pages are left as a hole (Postgres pages and WAL blocks are 8 KiB). */
const PAGE = 8192;
const ZERO_PAGE = Buffer.alloc(PAGE);

/**
 * Writes the regular files and folders of a POSIX tar archive (as PGlite's dumpDataDir writes it) into
 * `into`, synchronously. A file's trailing zero pages are not written but left as a hole of the same
 * length (ftruncate), which reads back as zeros: a WAL segment is mostly that. Throws on an archive that
 * is cut short, holds another kind of entry, or names a path outside `into`; what it wrote by then stays
 * (the caller wipes the folder). Resolves to the number of files written.
 */
export function unpackTar(tarball: Uint8Array, into: string): number {
  const archive = Buffer.from(tarball.buffer, tarball.byteOffset, tarball.byteLength);
  const made = new Set<string>();
  const folder = (path: string) => {
    if (made.has(path)) return;
    mkdirSync(path, { recursive: true });
    made.add(path);
  };
  folder(into);
  let files = 0;
  for (let offset = 0; ; ) {
    if (offset + BLOCK > archive.length) throw new Error("the tar archive is cut short (no end-of-archive block)");
    const header = archive.subarray(offset, offset + BLOCK);
    if (header[0] === 0) return files;
    const name = field(header, 345, 155) === "" ? field(header, 0, 100) : `${field(header, 345, 155)}/${field(header, 0, 100)}`;
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = header[156] === 0 ? "0" : String.fromCharCode(header[156]!);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`the tar entry ${name} has no valid size`);
    const path = join(into, name);
    const inside = relative(into, path);
    if (inside === ".." || inside.startsWith(`..${sep}`)) throw new Error(`the tar entry ${name} is outside the folder`);
    offset += BLOCK;
    if (type === "5") {
      folder(path);
    } else if (type === "0") {
      if (offset + size > archive.length) throw new Error(`the tar archive is cut short (in ${name})`);
      folder(dirname(path));
      writeFile(path, archive.subarray(offset, offset + size));
      files++;
    } else {
      throw new Error(`the tar entry ${name} is of type ${JSON.stringify(type)}, not a file or a folder`);
    }
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
}

/** A NUL-terminated header field. */
function field(header: Buffer, start: number, length: number): string {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? length : end).toString("utf8");
}

function writeFile(path: string, data: Buffer): void {
  let end = data.length;
  if (end % PAGE === 0) while (end > 0 && data.subarray(end - PAGE, end).equals(ZERO_PAGE)) end -= PAGE;
  const fd = openSync(path, "w");
  try {
    for (let written = 0; written < end; ) written += writeSync(fd, data, written, end - written);
    if (end < data.length) ftruncateSync(fd, data.length);
  } finally {
    closeSync(fd);
  }
}
