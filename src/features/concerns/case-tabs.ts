import { paths } from '../../paths.js'

export type CaseTab = 'summary' | 'people' | 'referrals' | 'chronology' | 'notes' | 'tasks' | 'documents' | 'reviews' | 'access' | 'history'

interface TabDefinition {
  key: CaseTab
  text: string
  href: (concernId: string) => string
  /** Only some roles see some tabs (history is for managers and auditors). */
  visibleTo?: (roles: ReadonlySet<string>) => boolean
}

/**
 * The case record's sub-navigation, in display order. A feature adds its tab here when its page
 * exists; every case page renders the same list through views/case-layout.njk.
 */
export const CASE_TABS: TabDefinition[] = [
  { key: 'summary', text: 'Summary', href: paths.concern },
  { key: 'people', text: 'People', href: paths.concernPeople },
  { key: 'referrals', text: 'Referrals', href: paths.concernReferrals },
  { key: 'chronology', text: 'Chronology', href: paths.concernChronology },
  { key: 'notes', text: 'Notes', href: paths.concernNotes },
  { key: 'tasks', text: 'Tasks', href: paths.concernTasks },
  { key: 'documents', text: 'Documents', href: paths.concernDocuments },
  { key: 'reviews', text: 'Reviews and closure', href: paths.concernReviews },
  { key: 'access', text: 'Access', href: paths.concernAccess, visibleTo: (roles) => roles.has('safeguarding_manager') },
  { key: 'history', text: 'Who has viewed', href: paths.concernViewers, visibleTo: (roles) => roles.has('safeguarding_manager') || roles.has('auditor') },
]

export function caseTabs(concernId: string, active: CaseTab, roles: ReadonlySet<string>) {
  return CASE_TABS.filter((t) => !t.visibleTo || t.visibleTo(roles)).map((t) => ({ text: t.text, href: t.href(concernId), active: t.key === active }))
}
