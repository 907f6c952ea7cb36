import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.js'
import { generateKey, parseKey, type EncryptionKeys } from './secret-box.js'

/** Outside production, the embedded data folder may keep its own key (the demo needs no set-up). */
export const DATA_FOLDER_KEY_FILE = 'kestrel-encryption.key'

/**
 * The keys the running server seals secrets with: KESTREL_ENCRYPTION_KEY when set (always in
 * production), otherwise a key kept in the embedded data folder, made on first use with 0600
 * permissions. PostgreSQL outside production without the variable has nowhere safe to keep one,
 * so MFA stays unavailable there until the variable is set.
 */
export function resolveEncryptionKeys(config: Config, dataDir: string | undefined): EncryptionKeys | undefined {
  if (config.encryptionKeys) return config.encryptionKeys
  if (config.env === 'production' || !dataDir) return undefined
  return { current: readOrCreateFolderKey(dataDir), previous: [] }
}

export function readOrCreateFolderKey(dataDir: string): Buffer {
  const file = path.join(dataDir, DATA_FOLDER_KEY_FILE)
  try {
    return parseKey(fs.readFileSync(file, 'utf8'), file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = generateKey()
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  return key
}

export class EncryptionNotConfigured extends Error {
  constructor() {
    super('Two-step verification needs an encryption key: set KESTREL_ENCRYPTION_KEY (see docs/operations.md)')
  }
}

export function requireKeys(config: Config): EncryptionKeys {
  if (!config.encryptionKeys) throw new EncryptionNotConfigured()
  return config.encryptionKeys
}
