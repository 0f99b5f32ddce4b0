/**
 * Sets the modification time of every entry of a ZIP archive to 1980-01-01 00:00, the first date a
 * ZIP can hold. exceljs packs XLSX files with JSZip, which stamps each entry with the clock; with the
 * stamps fixed, the same workbook gives the same bytes. Walks the central directory from the end
 * record and patches each entry's time and date there and in its local header. Throws for bytes that
 * are not a ZIP archive of this simple kind (no ZIP64, no archive comment beyond 64 KiB).
 */
export function fixZipDates(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const END = 0x06054b50;
  const CENTRAL = 0x02014b50;
  const LOCAL = 0x04034b50;
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  let end = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 22 - 0xffff); i--) {
    if (out.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a ZIP archive: no end of central directory record");
  const entries = out.readUInt16LE(end + 10);
  let at = out.readUInt32LE(end + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(at) !== CENTRAL) throw new Error(`ZIP central directory entry ${n} is damaged`);
    out.writeUInt16LE(DOS_TIME, at + 12);
    out.writeUInt16LE(DOS_DATE, at + 14);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) !== LOCAL) throw new Error(`ZIP local header of entry ${n} is damaged`);
    out.writeUInt16LE(DOS_TIME, local + 10);
    out.writeUInt16LE(DOS_DATE, local + 12);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}
