// The test runner: lists every test file explicitly, runs them with node:test, prints the spec
// report and a closing line, and fails when any test fails or when no test ran at all.
// Usage: node --import tsx scripts/run-tests.mjs [filter ...]
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { run } from 'node:test'
import { spec } from 'node:test/reporters'

const root = path.resolve(import.meta.dirname, '..')
const filters = process.argv.slice(2)

function testFiles(dir) {
  const found = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...testFiles(full))
    else if (entry.name.endsWith('.test.ts')) found.push(full)
  }
  return found
}

const onServer = Boolean(process.env.TEST_DATABASE_URL)
const chosen = [...testFiles(path.join(root, 'src')), ...testFiles(path.join(root, 'test'))]
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
// *.embedded.test.ts files test the embedded engine itself (data folders, kill -9, the CLI on a
// folder): they open PGlite whatever the target, so a PostgreSQL run leaves them to the PGlite run.
const embeddedOnly = onServer ? chosen.filter((f) => f.endsWith('.embedded.test.ts')) : []
const files = chosen.filter((f) => !embeddedOnly.includes(f))

if (files.length === 0) {
  console.error('No test files found.')
  process.exit(1)
}
// Browser tests look at styled pages (axe checks target sizes and contrast): without the built
// assets every page fails for the wrong reason. `npm test` builds them; a direct run may not have.
const manifestFile = path.join(root, 'public', 'manifest.json')
if (files.some((f) => f.includes(`${path.sep}e2e${path.sep}`)) && !fs.existsSync(manifestFile)) {
  console.error('The front-end assets are not built (public/manifest.json is missing): run `npm run build:assets` first, or `npm test`.')
  process.exit(1)
}
console.log(`Running ${files.length} test files on ${onServer ? 'PostgreSQL' : 'PGlite'} with Node ${process.version}:`)
for (const f of files) console.log(`  ${path.relative(root, f)}`)
if (embeddedOnly.length) {
  console.log(`Left to the PGlite run (they test the embedded engine, whatever TEST_DATABASE_URL says):`)
  for (const f of embeddedOnly) console.log(`  ${path.relative(root, f)}`)
}

let passed = 0
let failed = 0
let skipped = 0
const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.max(1, Math.min(3, os.availableParallelism())))
const stream = run({ files, concurrency, timeout: 10 * 60_000 })
stream.on('test:pass', (event) => {
  if (event.details?.type === 'suite') return
  if (event.skip || event.todo) skipped++
  else passed++
})
stream.on('test:fail', (event) => {
  if (event.details?.type === 'suite' && event.details?.error?.failureType === 'subtestsFailed') return
  failed++
})
stream.compose(spec).pipe(process.stdout)
stream.on('end', () => {
  // The closing line CI reads, after the spec reporter has flushed.
  setImmediate(() => {
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
    if (skipped > 0) console.log('Skipped tests are not allowed to stay: remove the skip or the test.')
    process.exitCode = failed > 0 || passed === 0 || skipped > 0 ? 1 : 0
  })
})
