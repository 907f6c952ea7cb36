import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { projectRoot } from '../../src/project-root.js'
// @ts-expect-error -- a plain JavaScript module shared with the script
import { blockingFindings, waiverProblems } from '../../scripts/dependency-audit-policy.mjs'

/** An `npm audit --json` report in the shape npm 7 and later write. */
function report(vias: { severity: string; url: string; title?: string }[]) {
  return {
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(vias.map((v, i) => [`package-${i}`, { name: `package-${i}`, severity: v.severity, via: [{ source: 1000 + i, name: `package-${i}`, title: v.title ?? 'A problem', url: v.url, severity: v.severity, range: '<1.0.0' }, 'some-other-package'] }])),
    metadata: { vulnerabilities: {}, dependencies: { prod: 10 } },
  }
}

describe('dependency checks: the audit policy and the SBOM', () => {
  const today = '2026-11-24'

  it('blocks high and critical advisories unless a current waiver names them', () => {
    const audit = report([
      { severity: 'critical', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc' },
      { severity: 'high', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff' },
      { severity: 'moderate', url: 'https://github.com/advisories/GHSA-gggg-hhhh-jjjj' },
      { severity: 'high', url: 'https://github.com/advisories/GHSA-kkkk-mmmm-nnnn' },
    ])
    const waivers = [
      { advisory: 'GHSA-dddd-eeee-ffff', reason: 'Only reachable through a feature Kestrel never calls', expires: '2026-12-31' },
      { advisory: 'GHSA-kkkk-mmmm-nnnn', reason: 'Was not reachable; the waiver has run out', expires: '2026-11-01' },
    ]
    const blocking = blockingFindings(audit, waivers, today) as { id: string; packages: string[] }[]
    assert.deepEqual(blocking.map((f) => f.id).sort(), ['GHSA-AAAA-BBBB-CCCC', 'GHSA-KKKK-MMMM-NNNN'])
    assert.deepEqual(blocking.find((f) => f.id === 'GHSA-AAAA-BBBB-CCCC')!.packages, ['package-0'])
    assert.deepEqual(blockingFindings(report([]), [], today), [])
  })

  it('insists every waiver gives a reason and an expiry date, and flags expired ones', () => {
    assert.deepEqual(waiverProblems([{ advisory: 'GHSA-aaaa-bbbb-cccc', reason: 'Not reachable from Kestrel code paths', expires: '2027-01-01' }], today), [])
    assert.equal(waiverProblems([{ advisory: 'GHSA-aaaa-bbbb-cccc', reason: 'ok', expires: '2027-01-01' }], today).length, 1)
    assert.match(waiverProblems([{ advisory: 'GHSA-aaaa-bbbb-cccc', reason: 'Not reachable from Kestrel code paths', expires: '2026-01-01' }], today)[0], /expired/)
    const file = JSON.parse(fs.readFileSync(path.join(projectRoot, 'audit-waivers.json'), 'utf8'))
    assert.deepEqual(waiverProblems(file.waivers, new Date().toISOString().slice(0, 10)), [], 'audit-waivers.json is in order')
  })

  it('writes a CycloneDX SBOM naming every production dependency at its locked version, and no development tool', () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-sbom-')), 'kestrel.cdx.json')
    execFileSync(process.execPath, [path.join(projectRoot, 'scripts/sbom.mjs'), '--output', output], { cwd: projectRoot, stdio: 'pipe' })
    const bom = JSON.parse(fs.readFileSync(output, 'utf8'))
    fs.rmSync(path.dirname(output), { recursive: true, force: true })
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'))
    const lock = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8'))
    assert.equal(bom.bomFormat, 'CycloneDX')
    assert.equal(bom.metadata.component.name, 'kestrel')
    const components = new Map<string, { version: string; purl: string; hashes?: unknown[] }>(bom.components.map((c: { name: string; group?: string }) => [c.group ? `${c.group}/${c.name}` : c.name, c]))
    for (const name of Object.keys(pkg.dependencies)) {
      const component = components.get(name)
      assert.ok(component, `${name} is in the SBOM`)
      assert.equal(component.version, lock.packages[`node_modules/${name}`].version, `${name} at its locked version`)
      assert.match(component.purl, /^pkg:npm\//)
      assert.ok(component.hashes?.length, `${name} has its hash`)
    }
    for (const tool of ['typescript', 'playwright-core', 'esbuild', 'tsx']) assert.ok(!components.has(tool), `${tool} (development only) is not shipped`)
    console.log(`sbom: CycloneDX ${bom.specVersion}, ${bom.components.length} components`)
  })
})
