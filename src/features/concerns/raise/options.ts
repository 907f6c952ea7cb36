import { ADULT_CONCERN_TYPES, AT_RISK_OPTIONS, CHILD_CONCERN_TYPES, LOCATIONS, PERSON_AWARE_OPTIONS } from '../../../domain/reference-lists.js'

/** The choices the concern form offers, shaped for the GOV.UK macros. */
export function concernFormOptions(services: readonly { id: string; name: string }[]) {
  return {
    atRiskOptions: AT_RISK_OPTIONS,
    adultTypes: ADULT_CONCERN_TYPES.map((t) => ({ value: `adult:${t}`, text: t })),
    childTypes: CHILD_CONCERN_TYPES.map((t) => ({ value: `child:${t}`, text: t })),
    locations: LOCATIONS.map((l) => ({ value: l, text: l })),
    personAwareOptions: PERSON_AWARE_OPTIONS,
    services: services.map((s) => ({ value: s.id, text: s.name })),
  }
}
