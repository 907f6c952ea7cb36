import { londonDate } from '../../../src/domain/working-days.js'
import type { RouteSpec } from '../../../src/routing.js'
import { ORG_RECORD_TYPES } from './org-records.js'
import type { Persona, RecordFixture, RecordKind, World } from './world.js'

/**
 * Which record a parameterised path names, and who may see it — the expectations the record
 * matrix checks, taken from the design (docs/architecture.md, "Record-level rules"):
 *
 * - case pages (`/concerns/:id/...`): the safeguarding team of the same organisation, unless the
 *   case is restricted and the person is not named on it;
 * - a referrer's own pages (`/my-concerns/:id`, the confirmation): only the person who raised it;
 * - administration records: the same organisation only.
 *
 * A route whose path does not match a family here fails the suites with a message saying to add
 * one. A parameter the family's records do not carry (say `:noteId`) fails the same way: add it to
 * the records built in `world.ts` (`children`).
 */
export interface RecordFamily {
  name: string
  pattern: RegExp
  records(world: World, persona: Persona): RecordFixture[]
  visible(kind: RecordKind): boolean
}

const teamVisible = (kind: RecordKind) => kind !== 'restricted-not-named' && kind !== 'other-org'

export const RECORD_FAMILIES: RecordFamily[] = [
  { name: 'a referrer’s own concern', pattern: /^\/my-concerns\/:id(\/|$)/, records: (w, p) => w.concerns.get(p.label)!, visible: (k) => k === 'own' },
  { name: 'a referrer’s own concern', pattern: /^\/concerns\/:id\/confirmation$/, records: (w, p) => w.concerns.get(p.label)!, visible: (k) => k === 'own' },
  { name: 'a case record', pattern: /^\/concerns\/:id(\/|$)/, records: (w, p) => w.concerns.get(p.label)!, visible: teamVisible },
  // Disposal of a case under the retention rules: the same cases, seen the same way.
  { name: 'a case due for disposal', pattern: /^\/records\/disposal\/:id(\/|$)/, records: (w, p) => w.concerns.get(p.label)!, visible: teamVisible },
  // The person index: a person is seen through the cases they are on (restricted cases included).
  { name: 'a person merge', pattern: /^\/people\/merges\/:mergeId(\/|$)/, records: (w) => w.orgRecords.get('a person merge')!, visible: (k) => k === 'team' },
  { name: 'a person in the index', pattern: /^\/people\/:id(\/|$)/, records: (w) => w.orgRecords.get('a person')!, visible: teamVisible },
  // Weekly review meetings: the organisation's; items on restricted cases only for those named.
  { name: 'a review meeting', pattern: /^\/reviews\/:id(\/|$)/, records: (w) => w.orgRecords.get('a review meeting')!, visible: (k) => k === 'team' },
  // Administration and rota records: the same organisation only (types listed in org-records.ts).
  ...ORG_RECORD_TYPES.map((type) => ({ name: type.name, pattern: type.pattern, records: (w: World) => w.orgRecords.get(type.name)!, visible: (k: RecordKind) => k === 'team' })),
]

/** Parameters that name no record (a date, a month): one valid value each. */
export const VALUE_PARAMETERS: Record<string, (world: World) => string> = {
  date: (w) => londonDate(w.app.clock.now()),
}

export function parametersOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)
}

export function familyOf(route: Pick<RouteSpec, 'method' | 'path'>): RecordFamily | undefined {
  if (!parametersOf(route.path).some((p) => !(p in VALUE_PARAMETERS))) return undefined
  const family = RECORD_FAMILIES.find((f) => f.pattern.test(route.path))
  if (!family) {
    throw new Error(
      `No record family for ${route.method.toUpperCase()} ${route.path}: add one to RECORD_FAMILIES in test/security/support/route-records.ts, or a record type to test/security/support/org-records.ts (which records it names, who may see them).`,
    )
  }
  return family
}

/** The path with every parameter filled from the record, or undefined when the record lacks one of them. */
export function fillPath(route: Pick<RouteSpec, 'path'>, record: RecordFixture | undefined, world: World): string | undefined {
  let missing = false
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name in VALUE_PARAMETERS) return VALUE_PARAMETERS[name]!(world)
    if (!record) {
      missing = true
      return ''
    }
    const value = record.children[name] ?? (name === 'id' ? record.id : undefined)
    if (value === undefined) missing = true
    return value ?? ''
  })
  return missing ? undefined : path
}

export interface ResolvedPath {
  path: string
  record?: RecordFixture
  visible: boolean
  /** The parameter filled with a hidden child of a visible record. */
  hiddenChild?: string
}

/**
 * Every way the persona can fill the route's path: one per record (of every kind) that carries
 * all the parameters. Fails loudly when no record of a kind the persona may see carries them.
 */
export function resolveAll(route: Pick<RouteSpec, 'method' | 'path'>, persona: Persona, world: World): ResolvedPath[] {
  const family = familyOf(route)
  if (!family) return [{ path: fillPath(route, undefined, world)!, visible: true }]
  const resolved: ResolvedPath[] = []
  for (const record of family.records(world, persona)) {
    const path = fillPath(route, record, world)
    if (path) resolved.push({ path, record, visible: family.visible(record.kind) })
    // The same record with a child the persona may not reach in place of its own.
    for (const [param, hidden] of Object.entries(record.hiddenChildren ?? {})) {
      const withHidden = path && parametersOf(route.path).includes(param) ? fillPath(route, { ...record, children: { ...record.children, [param]: hidden } }, world) : undefined
      if (withHidden) resolved.push({ path: withHidden, record: { ...record, kind: 'restricted-not-named', state: `${record.state}, with a hidden :${param}` }, visible: false, hiddenChild: param })
    }
  }
  if (!resolved.some((r) => r.visible)) {
    const missing = parametersOf(route.path).filter((p) => p !== 'id' && !(p in VALUE_PARAMETERS))
    throw new Error(
      `No fixture for ${route.method.toUpperCase()} ${route.path} (${family.name}): the records built in test/security/support/world.ts carry no ${missing.map((m) => `:${m}`).join(', ')} — add it to their "children".`,
    )
  }
  return resolved
}

/** The visible ways to fill the path for this persona (every state the world holds). */
export function visiblePaths(route: Pick<RouteSpec, 'method' | 'path'>, persona: Persona, world: World): ResolvedPath[] {
  return resolveAll(route, persona, world).filter((r) => r.visible)
}
