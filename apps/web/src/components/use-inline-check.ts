// Inline validation for the forms that check themselves with the shared schemas: nothing is flagged before the
// first try to save; from then on each field shows what is wrong with it now, so a message goes away as soon as the
// person has fixed it (and a new mistake shows while they type), not at the next save.
import { useState } from 'react'
import type { FieldErrors } from '../lib/errors.ts'

const noErrors: FieldErrors = { fields: {}, other: [] }

export const hasFieldErrors = (errors: FieldErrors) => Object.keys(errors.fields).length > 0

export function useInlineCheck<D>(draft: D, check: (draft: D) => FieldErrors) {
  const [tried, setTried] = useState(false)
  return {
    /** What is wrong with the draft as it is now; nothing before the first try to save. */
    errors: tried ? check(draft) : noErrors,
    /** On submit: starts checking as the person types; true when the draft may be sent. */
    tryToSave(): boolean {
      setTried(true)
      return !hasFieldErrors(check(draft))
    },
    /** After a save, or when the form is left: quiet again until the next try. */
    reset(): void {
      setTried(false)
    },
  }
}
