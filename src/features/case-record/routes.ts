import type { AppDeps } from '../../context.js'
import type { RouteSpec } from '../../routing.js'
import { breakGlassLogRoutes } from '../break-glass/log/routes.js'
import { breakGlassRoutes } from '../break-glass/open/routes.js'
import { casesRoutes } from '../cases/list/routes.js'
import { closureQueueRoutes } from '../closures/queue/routes.js'
import { mergeUndoRoutes } from '../people/merge-undo/routes.js'
import { mergeRoutes } from '../people/merge/routes.js'
import { personRoutes } from '../people/person/routes.js'
import { itemRoutes } from '../reviews/item/routes.js'
import { meetingNewRoutes } from '../reviews/meeting-new/routes.js'
import { meetingPrintRoutes } from '../reviews/meeting-print/routes.js'
import { meetingRoutes } from '../reviews/meeting/routes.js'
import { meetingsRoutes } from '../reviews/meetings/routes.js'
import { accessRoutes } from './access/routes.js'
import { chronologyEntryRoutes } from './chronology-entry/routes.js'
import { chronologyPrintRoutes } from './chronology-print/routes.js'
import { chronologyRoutes } from './chronology/routes.js'
import { closureRequestRoutes } from './closure-request/routes.js'
import { closureRoutes } from './closure/routes.js'
import { documentsRoutes } from './documents/routes.js'
import { legalHoldRoutes } from './legal-hold/routes.js'
import { noteCorrectRoutes } from './note-correct/routes.js'
import { notesRoutes } from './notes/routes.js'
import { peopleRoutes } from './people/routes.js'
import { personNewRoutes } from './person-new/routes.js'
import { reopenRoutes } from './reopen/routes.js'
import { reviewsTabRoutes } from './reviews/routes.js'
import { tasksRoutes } from './tasks/routes.js'
import { taskNewRoutes } from './task-new/routes.js'

/**
 * Every route of issue 4 — the case record's tabs, the weekly case review, closure, the person
 * index, restriction and break glass — in mounting order (fixed paths before parameterised ones).
 */
export function caseRecordRoutes(deps: AppDeps): RouteSpec[] {
  return [
    ...casesRoutes(deps),
    ...closureQueueRoutes(deps),
    ...breakGlassLogRoutes(deps),
    ...breakGlassRoutes(deps),
    ...meetingsRoutes(deps),
    ...meetingNewRoutes(deps),
    ...meetingPrintRoutes(deps),
    ...itemRoutes(deps),
    ...meetingRoutes(deps),
    ...mergeUndoRoutes(deps),
    ...mergeRoutes(deps),
    ...personRoutes(deps),
    ...peopleRoutes(deps),
    ...personNewRoutes(deps),
    ...chronologyPrintRoutes(deps),
    ...chronologyEntryRoutes(deps),
    ...chronologyRoutes(deps),
    ...notesRoutes(deps),
    ...noteCorrectRoutes(deps),
    ...tasksRoutes(deps),
    ...taskNewRoutes(deps),
    ...documentsRoutes(deps),
    ...reviewsTabRoutes(deps),
    ...closureRequestRoutes(deps),
    ...closureRoutes(deps),
    ...reopenRoutes(deps),
    ...legalHoldRoutes(deps),
    ...accessRoutes(deps),
  ]
}
