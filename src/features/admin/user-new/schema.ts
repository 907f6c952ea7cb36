import { z } from 'zod'
import { GRANTABLE_ROLES, type GrantableRole } from '../../../domain/roles.js'
import { formField, lineText } from '../../../forms.js'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function userSchema(serviceIds: readonly string[]) {
  return z.object({
    displayName: lineText({ label: 'Full name', max: 120, required: 'Enter their full name' }),
    email: lineText({ label: 'Email address', max: 254, required: 'Enter their email address' }).refine(
      (v) => v === null || EMAIL.test(v),
      'Enter an email address in the correct format, like name@example.gov.uk',
    ),
    serviceId: formField()
      .refine((v) => v === undefined || v === '' || (typeof v === 'string' && serviceIds.includes(v)), 'Select a service from the list')
      .transform((v) => (typeof v === 'string' && v !== '' ? v : null)),
    roles: formField()
      .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
      .refine((list) => list.every((r) => typeof r === 'string' && (GRANTABLE_ROLES as readonly string[]).includes(r)), 'Select roles from the list')
      .transform((list) => [...new Set(list as GrantableRole[])].sort()),
  })
}

export function userFormValues(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>
  const roles = b.roles
  return {
    displayName: typeof b.displayName === 'string' ? b.displayName : '',
    email: typeof b.email === 'string' ? b.email : '',
    serviceId: typeof b.serviceId === 'string' ? b.serviceId : '',
    roles: Array.isArray(roles) ? roles : typeof roles === 'string' ? [roles] : [],
  }
}
