import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { checkManifest, formatChecksums, parseChecksums, type BackupFile, type BackupManifest } from '../domain/backup.js'
import { END_OF_ARCHIVE, listTar, padding, readTarEntry, tarEntryStream, tarHeader, TarFormatError, type TarEntry } from './tar.js'

/** Every refusal a person sees from backup or restore: a sentence that says what to do. */
export class BackupError extends Error {}

export type ArchiveSource = { name: string; data: Buffer } | { name: string; path: string }

export async function sha256Of(source: ArchiveSource): Promise<BackupFile> {
  const hash = createHash('sha256')
  if ('data' in source) {
    hash.update(source.data)
    return { name: source.name, bytes: source.data.length, sha256: hash.digest('hex') }
  }
  let bytes = 0
  for await (const chunk of fs.createReadStream(source.path)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { name: source.name, bytes, sha256: hash.digest('hex') }
}

/**
 * Writes the archive to `<output>.partial` (mode 0600: it holds everything), checks what was
 * written by reading it back, and only then renames it into place, so a backup file that exists
 * is always complete.
 */
export async function writeArchive(output: string, manifest: Omit<BackupManifest, 'payload' | 'extras'> & { payload: Omit<BackupManifest['payload'], 'bytes' | 'sha256'> }, payload: ArchiveSource, extras: ArchiveSource[], mtime: Date): Promise<BackupManifest> {
  const payloadFile = await sha256Of(payload)
  const extraFiles = await Promise.all(extras.map(sha256Of))
  const full: BackupManifest = { ...manifest, payload: { ...manifest.payload, ...payloadFile }, extras: extraFiles }
  const manifestData = Buffer.from(`${JSON.stringify(full, null, 2)}\n`, 'utf8')
  const manifestSource: ArchiveSource = { name: 'manifest.json', data: manifestData }
  const sums = Buffer.from(formatChecksums([await sha256Of(manifestSource), payloadFile, ...extraFiles]), 'utf8')

  fs.mkdirSync(path.dirname(output), { recursive: true })
  const partial = `${output}.partial`
  const out = fs.createWriteStream(partial, { mode: 0o600 })
  try {
    await pipeline(async function* () {
      for (const source of [manifestSource, payload, ...extras, { name: 'SHA256SUMS', data: sums } as ArchiveSource]) {
        const size = 'data' in source ? source.data.length : fs.statSync(source.path).size
        yield tarHeader(source.name, size, mtime)
        if ('data' in source) yield source.data
        else for await (const chunk of fs.createReadStream(source.path)) yield chunk as Buffer
        yield padding(size)
      }
      yield END_OF_ARCHIVE
    }, out)
    await readArchive(partial)
    fs.renameSync(partial, output)
  } catch (error) {
    fs.rmSync(partial, { force: true })
    throw error
  }
  return full
}

export interface OpenedArchive {
  file: string
  manifest: BackupManifest
  entries: Map<string, TarEntry>
  read(name: string): Buffer
  stream(name: string): fs.ReadStream
}

/**
 * Opens a backup and checks all of it before anything is restored: a proper ending (not cut
 * short), the manifest, and the SHA-256 of every file against SHA256SUMS and the manifest.
 */
export async function readArchive(file: string): Promise<OpenedArchive> {
  if (!fs.existsSync(file)) throw new BackupError(`There is no file ${file}.`)
  const damaged = (problem: string) => new BackupError(`The backup ${file} cannot be used: ${problem}. Nothing was restored. Use another copy of the backup.`)
  let list: TarEntry[]
  try {
    list = listTar(file)
  } catch (error) {
    if (error instanceof TarFormatError) throw damaged(error.message)
    throw error
  }
  const entries = new Map(list.map((e) => [e.name, e]))
  const first = list[0]
  if (!first || first.name !== 'manifest.json') throw damaged('it is not a Kestrel backup (no manifest)')
  if (list[list.length - 1]?.name !== 'SHA256SUMS') throw damaged('its list of checksums is missing (the file is incomplete or was altered)')
  let raw: unknown
  try {
    raw = JSON.parse(readTarEntry(file, first).toString('utf8'))
  } catch {
    throw damaged('its manifest is damaged')
  }
  const checked = checkManifest(raw)
  if (!checked.ok) throw damaged(checked.problem)
  const manifest = checked.manifest

  const sums = parseChecksums(readTarEntry(file, entries.get('SHA256SUMS')!).toString('utf8'))
  if (!sums) throw damaged('its list of checksums is damaged')
  const expected = new Map<string, string>(sums)
  for (const f of [manifest.payload, ...manifest.extras]) {
    if (expected.get(f.name) !== f.sha256) throw damaged(`the checksums of ${f.name} do not agree (the file was altered)`)
  }
  for (const entry of list) {
    if (entry.name === 'SHA256SUMS') continue
    const want = expected.get(entry.name)
    if (!want) throw damaged(`it holds ${entry.name}, which is not in its list of checksums`)
    const hash = createHash('sha256')
    for await (const chunk of entry.size === 0 ? [] : tarEntryStream(file, entry)) hash.update(chunk as Buffer)
    if (hash.digest('hex') !== want) throw damaged(`${entry.name} does not match its checksum (the file is damaged or was altered)`)
    expected.delete(entry.name)
  }
  if (expected.size > 0) throw damaged(`${[...expected.keys()].join(', ')} is missing`)

  return {
    file,
    manifest,
    entries,
    read: (name) => readTarEntry(file, entries.get(name)!),
    stream: (name) => tarEntryStream(file, entries.get(name)!),
  }
}
