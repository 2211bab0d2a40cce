// A minimal ZIP writer (deflate, fixed timestamps) for the Lambda artifact: no `zip` program needed, and the same
// files always give the same bytes, so an unchanged bundle uploads as an identical object.
import { deflateRawSync } from 'node:zlib'

export type ZipEntry = { name: string; data: Uint8Array }

// 1980-01-01 00:00, the earliest MS-DOS date: a fixed time keeps the archive reproducible.
const dosTime = 0
const dosDate = (1 << 5) | 1
const utf8Flag = 0x0800
const deflate = 8
const regularFileMode = 0o100644

export function zipFiles(entries: ZipEntry[]): Uint8Array {
  const chunks: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name)
    const compressed = deflateRawSync(entry.data, { level: 9 })
    const crc = Bun.hash.crc32(entry.data) >>> 0
    const local = new DataView(new ArrayBuffer(30))
    local.setUint32(0, 0x04034b50, true)
    local.setUint16(4, 20, true)
    local.setUint16(6, utf8Flag, true)
    local.setUint16(8, deflate, true)
    local.setUint16(10, dosTime, true)
    local.setUint16(12, dosDate, true)
    local.setUint32(14, crc, true)
    local.setUint32(18, compressed.length, true)
    local.setUint32(22, entry.data.length, true)
    local.setUint16(26, name.length, true)
    local.setUint16(28, 0, true)
    chunks.push(new Uint8Array(local.buffer), name, compressed)

    const header = new DataView(new ArrayBuffer(46))
    header.setUint32(0, 0x02014b50, true)
    header.setUint16(4, (3 << 8) | 20, true) // made by: Unix, so the file mode below is read
    header.setUint16(6, 20, true)
    header.setUint16(8, utf8Flag, true)
    header.setUint16(10, deflate, true)
    header.setUint16(12, dosTime, true)
    header.setUint16(14, dosDate, true)
    header.setUint32(16, crc, true)
    header.setUint32(20, compressed.length, true)
    header.setUint32(24, entry.data.length, true)
    header.setUint16(28, name.length, true)
    header.setUint32(38, regularFileMode * 0x10000, true)
    header.setUint32(42, offset, true)
    central.push(new Uint8Array(header.buffer), name)
    offset += 30 + name.length + compressed.length
  }
  const centralSize = central.reduce((size, chunk) => size + chunk.length, 0)
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true)
  end.setUint16(8, entries.length, true)
  end.setUint16(10, entries.length, true)
  end.setUint32(12, centralSize, true)
  end.setUint32(16, offset, true)
  return Buffer.concat([...chunks, ...central, new Uint8Array(end.buffer)])
}
