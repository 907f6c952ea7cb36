import { z } from 'zod'

/**
 * What a Kestrel backup file says about itself. The file is a plain tar archive:
 *   manifest.json  — this manifest
 *   <payload>      — pgdata.tar.gz (embedded: PGlite's data folder) or database.dump (pg_dump custom format)
 *   <extras>       — kestrel-encryption.key when the embedded folder keeps its own key
 *   SHA256SUMS     — every file above, in `sha256sum -c` format; last, so a cut-off file is noticed
 */
export const BACKUP_FORMAT = 'kestrel-backup'
export const BACKUP_FORMAT_VERSION = 1

const fileSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int().positive(),
  engine: z.enum(['pglite', 'postgres']),
  createdAt: z.string().datetime(),
  kestrelVersion: z.string(),
  /** The last migration applied when the backup was made, and every one applied. */
  migrationLevel: z.string().nullable(),
  migrations: z.array(z.string()),
  /** e.g. "PostgreSQL 17.5 (PGlite 0.5.16)" or the server's version string. */
  databaseVersion: z.string(),
  payload: fileSchema.extend({ compression: z.enum(['gzip', 'pg_dump-custom']) }),
  extras: z.array(fileSchema),
})

export type BackupManifest = z.infer<typeof manifestSchema>
export type BackupFile = z.infer<typeof fileSchema>

export type ManifestCheck = { ok: true; manifest: BackupManifest } | { ok: false; problem: string }

/** Checks a manifest read from a file: the right kind of file, a version this build reads. */
export function checkManifest(raw: unknown): ManifestCheck {
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== BACKUP_FORMAT) {
    return { ok: false, problem: 'it has no Kestrel backup manifest' }
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion
  if (typeof version === 'number' && version > BACKUP_FORMAT_VERSION) {
    return { ok: false, problem: `it was made by a newer Kestrel (backup format ${version}; this version reads format ${BACKUP_FORMAT_VERSION})` }
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, problem: 'its manifest is damaged' }
  return { ok: true, manifest: parsed.data }
}

/** Migrations in the backup that this build does not know: restoring it would need a newer Kestrel. */
export function unknownMigrations(manifest: BackupManifest, known: readonly string[]): string[] {
  return manifest.migrations.filter((m) => !known.includes(m))
}

/** SHA256SUMS in the format `sha256sum -c` reads. */
export function formatChecksums(files: readonly BackupFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.name}\n`).join('')
}

export function parseChecksums(text: string): Map<string, string> | undefined {
  const sums = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const match = /^([0-9a-f]{64}) {2}([a-z0-9][a-z0-9._-]{0,99})$/.exec(line)
    if (!match) return undefined
    sums.set(match[2]!, match[1]!)
  }
  return sums
}

const NAME = /^kestrel-backup-(\d{8}T\d{6}Z)\.tar$/

/** kestrel-backup-20261124T020000Z.tar: sorts by time, says when, never says what is inside. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')
  return `kestrel-backup-${stamp}.tar`
}

/** Which of the backups in a folder to delete to keep the newest `keep`. Other files are never touched. */
export function backupsToPrune(fileNames: readonly string[], keep: number): string[] {
  const ours = fileNames.filter((n) => NAME.test(n)).sort().reverse()
  return ours.slice(Math.max(keep, 1))
}
