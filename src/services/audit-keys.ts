import { hkdfSync } from 'node:crypto'
import type { ChainKey } from '../domain/audit-hash.js'
import { keyId, type EncryptionKeys } from './secret-box.js'

/**
 * The audit chain's keys come from the encryption keys (KESTREL_ENCRYPTION_KEY and its previous
 * keys), so there is no second secret to manage. HKDF with a label of its own keeps the two uses
 * apart: knowing an audit key tells nothing about the key that seals authenticator secrets.
 * Rows record the encryption key's id, so operators can tell which key a row needs.
 */
const derived = new WeakMap<Buffer, ChainKey>()

function chainKeyFrom(key: Buffer): ChainKey {
  let chainKey = derived.get(key)
  if (!chainKey) {
    chainKey = { id: keyId(key), secret: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'kestrel audit chain v1', 32)) }
    derived.set(key, chainKey)
  }
  return chainKey
}

/** The key new audit rows are sealed with: none when no encryption key is configured. */
export function currentChainKey(keys: EncryptionKeys | undefined): ChainKey | null {
  return keys ? chainKeyFrom(keys.current) : null
}

/** Every key a verifier can check rows with, by id: the current one and the previous ones. */
export function chainKeyring(keys: EncryptionKeys | undefined): ReadonlyMap<string, ChainKey> {
  const all = keys ? [keys.current, ...keys.previous] : []
  return new Map(all.map((k) => [keyId(k), chainKeyFrom(k)]))
}
