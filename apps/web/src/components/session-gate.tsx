// Protected routes: the signed-in member for every page inside, or off to sign-in (coming back afterwards).
// Keeps the session fresh while the app is open; sends a newcomer to onboarding first.
import Alert from '@cloudscape-design/components/alert'
import Box from '@cloudscape-design/components/box'
import Button from '@cloudscape-design/components/button'
import Spinner from '@cloudscape-design/components/spinner'
import { createContext, type ReactNode, useContext, useEffect } from 'react'
import { Navigate, useLocation } from 'react-router'
import { REFRESH_EVERY_MS, refreshSession } from '../session.ts'
import { type RouterOutputs, trpc } from '../trpc.ts'

type Me = RouterOutputs['auth']['me']
const SessionContext = createContext<{ me: Me } | null>(null)

export function useSession(): { me: Me } {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside SessionGate')
  return session
}

export function SessionGate({ children }: { children: ReactNode }) {
  const location = useLocation()
  const me = trpc.auth.me.useQuery(undefined, { retry: false, staleTime: 60_000 })
  const signedIn = me.isSuccess

  useEffect(() => {
    if (!signedIn) return
    const timer = setInterval(() => {
      void refreshSession(Date.now() - REFRESH_EVERY_MS + 60_000)
    }, REFRESH_EVERY_MS)
    return () => clearInterval(timer)
  }, [signedIn])

  if (me.isPending) return <Spinner size="large" />
  if (me.isError) {
    if (me.error.data?.code === 'UNAUTHORIZED') {
      const returnTo = `${location.pathname}${location.search}`
      return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />
    }
    // Outside the app's frame, like sign-in: its own main landmark and h1, so a screen reader lands on what
    // happened; the Alert below it says what to do.
    return (
      <main>
        <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
          <div style={{ maxWidth: 640, margin: '0 auto' }}>
            {/* Box, not Header: the gate is in the initial bundle, and Box is already there. */}
            <Box variant="h1" margin={{ bottom: 'l' }}>
              Percolate cannot reach its server
            </Box>
            <Alert
              type="error"
              action={
                <Button loading={me.isFetching} onClick={() => void me.refetch()}>
                  Try again
                </Button>
              }
            >
              Check that the API is running and your connection works, then try again.
            </Alert>
          </div>
        </Box>
      </main>
    )
  }
  // A newcomer sets up their profile first; the wizard's last step marks them onboarded.
  if (!me.data.onboarded && location.pathname !== '/onboarding') return <Navigate to="/onboarding" replace />
  return <SessionContext.Provider value={{ me: me.data }}>{children}</SessionContext.Provider>
}
