// Progressive enhancement only: every page works without JavaScript.
import { initAll as initGovuk } from 'govuk-frontend'
import { initAll as initMoj } from '@ministryofjustice/frontend'

initGovuk()
initMoj()
