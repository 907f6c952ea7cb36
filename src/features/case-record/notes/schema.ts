import { z } from 'zod'
import { exactText } from '../../../forms.js'

export const NOTE_MAX = 10_000

export const noteSchema = z.object({
  body: exactText({ label: 'The note', max: NOTE_MAX, required: 'Enter the note' }),
})
