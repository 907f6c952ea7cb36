import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { backupFileName } from '../domain/backup.js'
import { BackupError, readArchive } from './archive.js'
import { restoreCommand } from './restore.js'
import { describeChain } from '../services/audit-verify.js'
import { backupAndPrune, backupCommand } from './write-backup.js'

function size(bytes: number): string {
  return bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** `kestrel backup [--output FILE] [--keep N]` */
export async function backupCli(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { output: { type: 'string' }, keep: { type: 'string' } }, strict: true })
  if (values.output && values.keep) throw new BackupError('Give either --output FILE or --keep N (which writes dated backups into KESTREL_BACKUP_DIR), not both.')
  const keep = values.keep === undefined ? undefined : Number(values.keep)
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) throw new BackupError('--keep must be a whole number of backups, 1 or more.')
  const now = new Date()
  let file: string
  let route = ''
  let pruned: string[] = []
  if (values.output) {
    file = path.resolve(values.output)
    if (fs.existsSync(file)) throw new BackupError(`${file} already exists. Choose a new file name; Kestrel does not overwrite backups.`)
    route = await backupCommand(config, file, now)
  } else {
    const result = await backupAndPrune(async (f) => (route = await backupCommand(config, f, now)), config.backup.dir, keep ?? Number.MAX_SAFE_INTEGER, now)
    file = result.file
    pruned = result.pruned
  }
  const { manifest } = await readArchive(file)
  console.log(`Backup written to ${file} (${size(fs.statSync(file).size)}), made through the ${route}.`)
  console.log(`Engine: ${manifest.engine === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL'}; migration level ${manifest.migrationLevel ?? 'none'}; SHA-256 of the database: ${manifest.payload.sha256}`)
  if (pruned.length) console.log(`Deleted ${pruned.length} older backup${pruned.length === 1 ? '' : 's'}, keeping the newest ${keep}.`)
  return 0
}

/** `kestrel restore FILE` */
export async function restoreCli(config: Config, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true })
  if (positionals.length !== 1) {
    console.error('Give the backup file, for example: npx kestrel restore backups/' + backupFileName(new Date()))
    return 2
  }
  const report = await restoreCommand(config, path.resolve(positionals[0]!))
  const m = report.manifest
  console.log(`Checked the backup: made ${m.createdAt} by Kestrel ${m.kestrelVersion} (${m.databaseVersion}), migration level ${m.migrationLevel ?? 'none'}; every checksum matches.`)
  console.log(`Restored into ${report.target}.`)
  let intact = true
  for (const chain of report.chains) {
    intact &&= chain.ok
    console.log(`Audit chain of organisation ${chain.organisationId}: ${describeChain(chain)}`)
  }
  if (report.chains.length === 0) console.log('No organisations in the backup: no audit chain to verify.')
  if (report.pendingMigrations.length) console.log(`Kestrel will apply ${report.pendingMigrations.length} newer migration(s) when it next starts: ${report.pendingMigrations.join(', ')}.`)
  console.log(intact ? 'Restore complete.' : 'The data was restored but its audit trail does not verify: investigate before using it (see docs/operations.md).')
  return intact ? 0 : 1
}
