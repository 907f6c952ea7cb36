// npm run sbom — a CycloneDX 1.5 (JSON) software bill of materials for what Kestrel ships: every
// production dependency, resolved from package-lock.json as Node resolves them, with its version,
// package URL, SHA-512 hash, licence and what it depends on. Written here, not with `npm sbom`:
// npm 11's leaves out a production package that a development tool also uses (nodemailer), and
// an SBOM that misses things is worse than none.
// Usage: node scripts/sbom.mjs [--output FILE]   (default dist/sbom/kestrel.cdx.json)
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

const root = path.resolve(import.meta.dirname, '..')
const { values } = parseArgs({ options: { output: { type: 'string' } } })
const output = path.resolve(root, values.output ?? 'dist/sbom/kestrel.cdx.json')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'))
const packages = lock.packages

/** Where Node finds `name` when required from the package at `from` (a lock key like node_modules/a). */
function resolve(from, name) {
  for (let dir = from; ; ) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`
    if (packages[candidate]) return candidate
    if (!dir) return undefined
    const at = dir.lastIndexOf('/node_modules/')
    dir = at >= 0 ? dir.slice(0, at) : ''
  }
}

const nameOf = (key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)
const refOf = (key) => `${nameOf(key)}@${packages[key].version}`
const purlOf = (name, version) => `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`

// The production closure: dependencies, optional ones when installed, and required peers.
const edges = (entry) => ({ ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies })
const seen = new Map()
const queue = Object.keys(edges(packages[''])).map((n) => ['', n])
while (queue.length) {
  const [from, name] = queue.shift()
  const key = resolve(from, name)
  if (!key || seen.has(key)) continue // an optional or peer dependency not installed here
  const entry = packages[key]
  if (entry.dev) throw new Error(`${key} is marked development-only in the lock but a production package needs it`)
  seen.set(key, [])
  for (const dep of Object.keys(edges(entry))) {
    const target = resolve(key, dep)
    if (target) seen.get(key).push(target)
    queue.push([key, dep])
  }
}

const components = new Map()
for (const key of seen.keys()) {
  const entry = packages[key]
  const name = nameOf(key)
  const ref = refOf(key)
  if (components.has(ref)) continue
  const slash = name.startsWith('@') ? name.indexOf('/') : -1
  const integrity = /^sha512-(.+)$/.exec(entry.integrity ?? '')
  components.set(ref, {
    type: 'library',
    'bom-ref': ref,
    ...(slash > 0 ? { group: name.slice(0, slash), name: name.slice(slash + 1) } : { name }),
    version: entry.version,
    scope: entry.optional ? 'optional' : 'required',
    purl: purlOf(name, entry.version),
    ...(integrity ? { hashes: [{ alg: 'SHA-512', content: Buffer.from(integrity[1], 'base64').toString('hex') }] } : {}),
    ...(entry.license ? { licenses: [/^[A-Za-z0-9.+-]+$/.test(entry.license) ? { license: { id: entry.license } } : { expression: entry.license }] } : {}),
    ...(entry.resolved ? { externalReferences: [{ type: 'distribution', url: entry.resolved }] } : {}),
  })
}

const self = `${pkg.name}@${pkg.version}`
const dependencyGraph = [
  { ref: self, dependsOn: [...new Set(Object.keys(edges(packages[''])).map((n) => resolve('', n)).filter(Boolean).map(refOf))] },
  ...[...seen].map(([key, deps]) => ({ ref: refOf(key), dependsOn: [...new Set(deps.map(refOf))] })),
].filter((d, i, all) => all.findIndex((o) => o.ref === d.ref) === i)

const bom = {
  $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  serialNumber: `urn:uuid:${randomUUID()}`,
  version: 1,
  metadata: {
    timestamp: new Date().toISOString(),
    lifecycles: [{ phase: 'build' }],
    tools: { components: [{ type: 'application', name: 'kestrel scripts/sbom.mjs', version: pkg.version }] },
    component: { type: 'application', 'bom-ref': self, name: pkg.name, version: pkg.version, purl: purlOf(pkg.name, pkg.version), licenses: [{ license: { id: pkg.license } }], description: pkg.description },
  },
  components: [...components.values()].sort((a, b) => a['bom-ref'].localeCompare(b['bom-ref'])),
  dependencies: dependencyGraph,
}
fs.mkdirSync(path.dirname(output), { recursive: true })
fs.writeFileSync(output, `${JSON.stringify(bom, null, 2)}\n`)
console.log(`SBOM (CycloneDX ${bom.specVersion}): ${bom.components.length} components → ${path.relative(root, output)}`)
