// The member's own record (me.get) and what every change to it does afterwards: keep the cached copy (and its
// version, which the next change must name) current, and turn a version conflict into a clear message.
import { errorCode, messageOf } from '../lib/errors.ts'
import { type RouterOutputs, trpc } from '../trpc.ts'
import { useFlash } from './flash.tsx'

export type OwnMember = RouterOutputs['me']['get']

export function useMemberUpdates() {
  const utils = trpc.useUtils()
  const flash = useFlash()
  return {
    /** After a successful change: the server's answer is the new record. */
    saved(member: OwnMember) {
      utils.me.get.setData(undefined, member)
      void utils.auth.me.invalidate()
    },
    /** After a failed change. Validation problems stay with their fields; everything else reaches the Flashbar. */
    failed(error: unknown, id: string, what: string) {
      if (errorCode(error) === 'BAD_REQUEST') return
      if (errorCode(error) === 'CONFLICT') {
        void utils.me.get.invalidate()
        flash.show({
          id,
          type: 'warning',
          header: 'Your profile changed elsewhere',
          content:
            'It was saved from another tab or device meanwhile. It has been reloaded: make your change again.',
        })
        return
      }
      flash.show({ id, type: 'error', header: `Could not ${what}`, content: messageOf(error) })
    },
  }
}
