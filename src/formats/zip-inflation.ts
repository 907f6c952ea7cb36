import { Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'

/**
 * How much a ZIP (an XLSX workbook) really inflates to, counted by inflating every entry and
 * throwing the output away, and stopping as soon as it passes `limit`. The sizes a ZIP declares
 * can lie; inflating cannot. Memory stays small whatever the file holds (a zip bomb included).
 */
export async function zipInflation(bytes: Buffer, limit: number): Promise<'within' | 'too-large' | 'unreadable'> {
  const entries = centralDirectory(bytes)
  if (!entries) return 'unreadable'
  let total = 0
  for (const e of entries) {
    if (e.localOffset + 30 > bytes.length || bytes.readUInt32LE(e.localOffset) !== 0x04034b50) return 'unreadable'
    const start = e.localOffset + 30 + bytes.readUInt16LE(e.localOffset + 26) + bytes.readUInt16LE(e.localOffset + 28)
    const data = bytes.subarray(start, start + e.compressedSize)
    if (e.method === 0) total += data.length
    else if (e.method === 8) {
      const inflated = await countInflated(data, limit - total)
      if (inflated === 'unreadable' || inflated === 'too-large') return inflated
      total += inflated
    } else return 'unreadable'
    if (total > limit) return 'too-large'
  }
  return 'within'
}

function countInflated(data: Buffer, budget: number): Promise<number | 'too-large' | 'unreadable'> {
  return new Promise((resolve) => {
    let count = 0
    const inflater = createInflateRaw()
    inflater.on('data', (chunk: Buffer) => {
      count += chunk.length
      if (count > budget) {
        inflater.destroy()
        resolve('too-large')
      }
    })
    inflater.on('end', () => resolve(count))
    inflater.on('error', () => resolve('unreadable'))
    Readable.from([data]).pipe(inflater)
  })
}

function centralDirectory(bytes: Buffer): { method: number; compressedSize: number; localOffset: number }[] | undefined {
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return undefined
  const count = bytes.readUInt16LE(eocd + 10)
  let offset = bytes.readUInt32LE(eocd + 16)
  const entries: { method: number; compressedSize: number; localOffset: number }[] = []
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50) return undefined
    entries.push({ method: bytes.readUInt16LE(offset + 10), compressedSize: bytes.readUInt32LE(offset + 20), localOffset: bytes.readUInt32LE(offset + 42) })
    offset += 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32)
  }
  return entries
}
