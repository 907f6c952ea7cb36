// Decides whether `npm audit --json` output passes Kestrel's dependency policy: no high or
// critical advisory in production dependencies unless a waiver (audit-waivers.json) names it,
// says why, and has not expired. Pure, so it is tested without the network.

const BLOCKING = new Set(['high', 'critical'])

/** The advisory id a waiver names: GHSA-xxxx-xxxx-xxxx, taken from the advisory's URL. */
export function advisoryId(via) {
  const match = /GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/i.exec(via.url ?? '')
  return match ? match[0].toUpperCase() : `npm-${via.source}`
}

/** Checks waivers are well-formed; returns the problems found. */
export function waiverProblems(waivers, today) {
  const problems = []
  for (const [i, w] of waivers.entries()) {
    if (!w || typeof w.advisory !== 'string' || !w.advisory) problems.push(`waiver ${i + 1}: no advisory id`)
    if (!w || typeof w.reason !== 'string' || w.reason.trim().length < 20) problems.push(`waiver ${i + 1} (${w?.advisory}): give a reason (why it does not affect Kestrel, what is being done)`)
    if (!w || !/^\d{4}-\d{2}-\d{2}$/.test(w.expires ?? '')) problems.push(`waiver ${i + 1} (${w?.advisory}): give an expiry date (YYYY-MM-DD)`)
    else if (w.expires < today) problems.push(`waiver ${i + 1} (${w.advisory}) expired on ${w.expires}: review it`)
  }
  return problems
}

/**
 * The findings that block: every high or critical advisory (npm audit's "via" objects) not
 * covered by a current waiver, once per advisory, with the packages it reaches.
 */
export function blockingFindings(report, waivers, today) {
  const waived = new Set(waivers.filter((w) => (w.expires ?? '') >= today).map((w) => String(w.advisory).toUpperCase()))
  const findings = new Map()
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue
      const id = advisoryId(via)
      if (waived.has(id)) continue
      const finding = findings.get(id) ?? { id, severity: via.severity, title: via.title, url: via.url, packages: new Set() }
      finding.packages.add(name)
      findings.set(id, finding)
    }
  }
  return [...findings.values()].map((f) => ({ ...f, packages: [...f.packages].sort() }))
}
