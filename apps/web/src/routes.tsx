// The app's routes. Every page is its own chunk (React.lazy); everything but sign-in needs a session.
import Spinner from '@cloudscape-design/components/spinner'
import { lazy, Suspense } from 'react'
import type { RouteObject } from 'react-router'
import { AppShell } from './components/app-shell.tsx'
import { RequireAdmin } from './components/require-admin.tsx'
import { SessionGate } from './components/session-gate.tsx'

const HomePage = lazy(() => import('./pages/home/index.tsx'))
const NotFoundPage = lazy(() => import('./pages/not-found/index.tsx'))
const SignInPage = lazy(() => import('./pages/sign-in/index.tsx'))
const OnboardingPage = lazy(() => import('./pages/onboarding/index.tsx'))
const HistoryPage = lazy(() => import('./pages/history/index.tsx'))
const ProfilePage = lazy(() => import('./pages/profile/index.tsx'))
const ChannelsPage = lazy(() => import('./pages/channels/index.tsx'))
const ApiTokensPage = lazy(() => import('./pages/api-tokens/index.tsx'))
const AdminSettingsPage = lazy(() => import('./pages/admin-settings/index.tsx'))
const AdminMembersPage = lazy(() => import('./pages/admin-members/index.tsx'))
const AdminRoundsPage = lazy(() => import('./pages/admin-rounds/index.tsx'))
const AdminNotificationsPage = lazy(() => import('./pages/admin-notifications/index.tsx'))
const AdminStatsPage = lazy(() => import('./pages/admin-stats/index.tsx'))

export const routes: RouteObject[] = [
  {
    path: '/sign-in',
    element: (
      <Suspense fallback={<Spinner size="large" />}>
        <SignInPage />
      </Suspense>
    ),
  },
  {
    element: (
      <SessionGate>
        <AppShell />
      </SessionGate>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'onboarding', element: <OnboardingPage /> },
      { path: 'history', element: <HistoryPage /> },
      { path: 'settings/profile', element: <ProfilePage /> },
      { path: 'settings/channels', element: <ChannelsPage /> },
      { path: 'settings/api-tokens', element: <ApiTokensPage /> },
      {
        path: 'admin',
        element: <RequireAdmin />,
        children: [
          { path: 'settings', element: <AdminSettingsPage /> },
          { path: 'members', element: <AdminMembersPage /> },
          { path: 'rounds', element: <AdminRoundsPage /> },
          { path: 'notifications', element: <AdminNotificationsPage /> },
          { path: 'stats', element: <AdminStatsPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]
