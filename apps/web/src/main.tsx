import '@cloudscape-design/global-styles/index.css'
import Spinner from '@cloudscape-design/components/spinner'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { AppShell } from './components/app-shell.tsx'
import { FlashProvider } from './components/flash.tsx'
import { SessionGate } from './components/session-gate.tsx'
import { createTrpcClient, trpc } from './trpc.ts'

// Routes are code-split: each page is its own chunk.
const HomePage = lazy(() => import('./pages/home/index.tsx'))
const NotFoundPage = lazy(() => import('./pages/not-found/index.tsx'))
const SignInPage = lazy(() => import('./pages/sign-in/index.tsx'))
const OnboardingPage = lazy(() => import('./pages/onboarding/index.tsx'))
const ApiTokensPage = lazy(() => import('./pages/api-tokens/index.tsx'))

const router = createBrowserRouter([
  {
    path: '/sign-in',
    element: (
      <Suspense fallback={<Spinner size="large" />}>
        <SignInPage />
      </Suspense>
    ),
  },
  {
    // Everything else needs a session.
    element: (
      <SessionGate>
        <AppShell />
      </SessionGate>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'onboarding', element: <OnboardingPage /> },
      { path: 'settings/api-tokens', element: <ApiTokensPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])

function App() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }),
  )
  const [trpcClient] = useState(createTrpcClient)
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <FlashProvider>
          <RouterProvider router={router} />
        </FlashProvider>
      </QueryClientProvider>
    </trpc.Provider>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
