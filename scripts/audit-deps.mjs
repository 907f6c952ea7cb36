// npm run audit:deps — checks production dependencies against the npm advisory database
// (`npm audit --omit=dev`). Fails on any high or critical advisory not waived in
// audit-waivers.json (each waiver: advisory id, reason, expiry date). Needs the registry: where
// it cannot be reached the check says so and fails (exit 2) rather than passing silently.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { blockingFindings, waiverProblems } from './dependency-audit-policy.mjs'

const root = path.resolve(import.meta.dirname, '..')
const today = new Date().toISOString().slice(0, 10)
const waivers = JSON.parse(fs.readFileSync(path.join(root, 'audit-waivers.json'), 'utf8')).waivers ?? []

const problems = waiverProblems(waivers, today)
if (problems.length) {
  console.error(`audit-waivers.json:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}

let output
try {
  output = execFileSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
} catch (error) {
  // npm audit exits non-zero when it finds anything; its JSON is still on stdout.
  output = error.stdout ?? ''
}
let report
try {
  report = JSON.parse(output)
} catch {
  console.error('npm audit gave no report: the advisory database could not be reached. Run this where the npm registry is reachable (CI does).')
  process.exit(2)
}
if (report.error || !report.metadata) {
  console.error(`npm audit could not check the dependencies: ${report.error?.summary || report.message || 'no metadata in the report'}${report.statusCode ? ` (${report.statusCode})` : ''}`)
  process.exit(2)
}

const counts = report.metadata.vulnerabilities ?? {}
console.log(`npm audit (production dependencies): ${report.metadata.dependencies?.prod ?? '?'} packages; advisories: critical ${counts.critical ?? 0}, high ${counts.high ?? 0}, moderate ${counts.moderate ?? 0}, low ${counts.low ?? 0}; ${waivers.length} waived`)
const blocking = blockingFindings(report, waivers, today)
for (const f of blocking) console.error(`${f.severity.toUpperCase()} ${f.id}: ${f.title} (${f.packages.join(', ')}) ${f.url ?? ''}`)
if (blocking.length) {
  console.error(`${blocking.length} high or critical advisories without a waiver: upgrade, or waive in audit-waivers.json with a reason and an expiry date.`)
  process.exit(1)
}
console.log('No unwaived high or critical advisories.')
