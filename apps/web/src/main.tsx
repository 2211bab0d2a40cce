import '@cloudscape-design/global-styles/index.css'
import { QueryClient } from '@tanstack/react-query'
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { AppProviders } from './components/app-providers.tsx'
import { initialColorMode, setColorMode } from './components/color-mode.ts'
import { routes } from './routes.tsx'
import { createTrpcClient } from './trpc.ts'

// Before the first paint, on every page (sign-in included): the person's choice, or else the system's.
setColorMode(initialColorMode(), false)
const router = createBrowserRouter(routes)

function App() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }),
  )
  const [trpcClient] = useState(createTrpcClient)
  return (
    <AppProviders trpcClient={trpcClient} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
