import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** SHA-256 of a file's bytes, hex: the file's identity everywhere (archive name, no-op check). */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes a file atomically: a temp file in the same folder, fsync, then rename. */
export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, "w");
  try {
    fs.writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

/**
 * Keeps the raw bytes under their content hash before anything else happens to them; a file already
 * archived is not written again. Returns the archive path.
 */
export function archiveBytes(archiveDir: string, hash: string, bytes: Uint8Array): string {
  const target = path.join(archiveDir, `${hash}.csv`);
  if (!fs.existsSync(target)) writeFileAtomic(target, bytes);
  return target;
}
