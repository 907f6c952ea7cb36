import fs from 'node:fs'
import { Buffer } from 'node:buffer'

/**
 * Just enough of the POSIX ustar format for Kestrel's backup files: regular files with short
 * names, written once and read back. A backup is then an ordinary tar that `tar -tvf` lists and
 * `tar -xf` unpacks, with no library needed. Every header carries its own checksum.
 */
const BLOCK = 512
const MAX_SIZE = 8 * 1024 ** 3 - 1 // 11 octal digits

export class TarFormatError extends Error {}

export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`Name too long for the backup archive: ${name}`)
  if (size > MAX_SIZE) throw new Error('A file in the backup is larger than 8 GiB')
  const h = Buffer.alloc(BLOCK)
  h.write(name, 0, 100, 'utf8')
  h.write('0000600\0', 100) // mode
  h.write('0000000\0', 108) // uid
  h.write('0000000\0', 116) // gid
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124)
  h.write(`${Math.floor(mtime.getTime() / 1000).toString(8).padStart(11, '0')}\0`, 136)
  h.write('        ', 148) // checksum counts as spaces while it is computed
  h.write('0', 156) // regular file
  h.write('ustar\0', 257)
  h.write('00', 263)
  h.write(`${headerChecksum(h).toString(8).padStart(6, '0')}\0 `, 148)
  return h
}

function headerChecksum(h: Buffer): number {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!
  return sum
}

export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK)
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2)

export interface TarEntry {
  name: string
  size: number
  /** Where the file's bytes start in the archive. */
  offset: number
}

/**
 * Lists an archive's files, checking each header's checksum and that the archive ends
 * properly: a file cut short (a copy that did not finish) is reported, not half-read.
 */
export function listTar(file: string): TarEntry[] {
  const fd = fs.openSync(file, 'r')
  try {
    const total = fs.fstatSync(fd).size
    const entries: TarEntry[] = []
    const header = Buffer.alloc(BLOCK)
    let position = 0
    for (;;) {
      if (position + BLOCK > total) throw new TarFormatError('the archive ends in the middle (it is incomplete)')
      fs.readSync(fd, header, 0, BLOCK, position)
      if (header.every((b) => b === 0)) {
        if (position + BLOCK * 2 > total) throw new TarFormatError('the archive ends in the middle (it is incomplete)')
        return entries
      }
      const stored = parseInt(header.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim(), 8)
      if (!Number.isFinite(stored) || stored !== headerChecksum(header)) throw new TarFormatError('an archive header is damaged')
      const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
      const size = parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim(), 8)
      const type = String.fromCharCode(header[156]!)
      if (!Number.isFinite(size) || size < 0) throw new TarFormatError('an archive header is damaged')
      const offset = position + BLOCK
      if (offset + size > total) throw new TarFormatError(`the archive ends in the middle of ${name} (it is incomplete)`)
      if (type === '0' || type === '\0') entries.push({ name, size, offset })
      position = offset + size + ((BLOCK - (size % BLOCK)) % BLOCK)
    }
  } finally {
    fs.closeSync(fd)
  }
}

export function readTarEntry(file: string, entry: TarEntry): Buffer {
  const fd = fs.openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(entry.size)
    let read = 0
    while (read < entry.size) {
      const n = fs.readSync(fd, buffer, read, entry.size - read, entry.offset + read)
      if (n === 0) throw new TarFormatError(`the archive ends in the middle of ${entry.name}`)
      read += n
    }
    return buffer
  } finally {
    fs.closeSync(fd)
  }
}

export function tarEntryStream(file: string, entry: TarEntry): fs.ReadStream {
  return fs.createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 })
}
