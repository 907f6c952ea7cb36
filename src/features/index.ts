import type { AppDeps } from '../context.js'
import type { RouteSpec } from '../routing.js'
import { confirmSignInRoutes } from './account/confirm/routes.js'
import { changePasswordRoutes } from './account/password/routes.js'
import { closureDaysRoutes } from './admin/closure-days/routes.js'
import { serviceEditRoutes } from './admin/service-edit/routes.js'
import { servicesRoutes } from './admin/services/routes.js'
import { editUserRoutes } from './admin/user-edit/routes.js'
import { newUserRoutes } from './admin/user-new/routes.js'
import { usersRoutes } from './admin/users/routes.js'
import { signInRoutes } from './auth/sign-in/routes.js'
import { signOutRoutes } from './auth/sign-out/routes.js'
import { checkConcernRoutes } from './concerns/check/routes.js'
import { confirmationRoutes } from './concerns/confirmation/routes.js'
import { myConcernRoutes } from './concerns/my-concern/routes.js'
import { myConcernsRoutes } from './concerns/mine/routes.js'
import { queueRoutes } from './concerns/queue/routes.js'
import { raiseConcernRoutes } from './concerns/raise/routes.js'
import { concernRoutes } from './concerns/view/routes.js'
import { viewersRoutes } from './concerns/viewers/routes.js'
import { homeRoutes } from './home/routes.js'
import { twoStepRoutes } from './account/two-step/routes.js'
import { twoStepSetupRoutes } from './account/two-step-setup/routes.js'
import { sessionsRoutes } from './account/sessions/routes.js'
import { securitySettingsRoutes } from './admin/security/routes.js'
import { retentionSettingsRoutes } from './admin/retention/routes.js'
import { userTwoStepRoutes } from './admin/user-two-step/routes.js'
import { signInCodeRoutes } from './auth/sign-in-code/routes.js'
import { signInRecoveryCodeRoutes } from './auth/sign-in-recovery-code/routes.js'
import { allocateRoutes } from './concerns/allocate/routes.js'
import { agreementRoutes } from './concerns/agreement/routes.js'
import { decisionRoutes } from './concerns/decision/routes.js'
import { newReferralRoutes } from './concerns/referral-new/routes.js'
import { referralOutcomeRoutes } from './concerns/referral-outcome/routes.js'
import { referralsRoutes } from './concerns/referrals/routes.js'
import { notificationsRoutes } from './notifications/list/routes.js'
import { rotaAbsencesRoutes } from './rota/absences/routes.js'
import { agenciesRoutes } from './admin/agencies/routes.js'
import { agencyEditRoutes } from './admin/agency-edit/routes.js'
import { emailRoutes } from './admin/email/routes.js'
import { emailsRoutes } from './admin/emails/routes.js'
import { notificationSettingsRoutes } from './admin/notification-settings/routes.js'
import { rotaCalendarRoutes } from './rota/calendar/routes.js'
import { rotaDayRoutes } from './rota/day/routes.js'
import { rotaGenerateRoutes } from './rota/generate/routes.js'
import { reportRoutes } from './reports/routes.js'
import { caseRecordRoutes } from './case-record/routes.js'
import { recordsRoutes } from './records/routes.js'

/** Every page route, in mounting order. Fixed paths come before parameterised ones. */
export function allRoutes(deps: AppDeps): RouteSpec[] {
  return [
    ...signInRoutes(deps),
    ...signOutRoutes(deps),
    ...changePasswordRoutes(deps),
    ...confirmSignInRoutes(deps),
    ...signInCodeRoutes(deps),
    ...signInRecoveryCodeRoutes(deps),
    ...twoStepRoutes(deps),
    ...twoStepSetupRoutes(deps),
    ...sessionsRoutes(deps),
    ...homeRoutes(deps),
    ...raiseConcernRoutes(deps),
    ...checkConcernRoutes(deps),
    ...confirmationRoutes(deps),
    ...myConcernsRoutes(deps),
    ...myConcernRoutes(deps),
    ...queueRoutes(deps),
    ...concernRoutes(deps),
    ...viewersRoutes(deps),
    ...notificationsRoutes(deps),
    ...rotaCalendarRoutes(deps),
    ...rotaGenerateRoutes(deps),
    ...rotaAbsencesRoutes(deps),
    ...rotaDayRoutes(deps),
    ...allocateRoutes(deps),
    ...agreementRoutes(deps),
    ...decisionRoutes(deps),
    ...newReferralRoutes(deps),
    ...referralsRoutes(deps),
    ...referralOutcomeRoutes(deps),
    ...caseRecordRoutes(deps),
    ...usersRoutes(deps),
    ...newUserRoutes(deps),
    ...editUserRoutes(deps),
    ...servicesRoutes(deps),
    ...serviceEditRoutes(deps),
    ...closureDaysRoutes(deps),
    ...agenciesRoutes(deps),
    ...agencyEditRoutes(deps),
    ...emailsRoutes(deps),
    ...emailRoutes(deps),
    ...notificationSettingsRoutes(deps),
    ...userTwoStepRoutes(deps),
    ...securitySettingsRoutes(deps),
    ...retentionSettingsRoutes(deps),
    ...reportRoutes(deps),
    ...recordsRoutes(deps),
  ]
}
