// The page frame of every screen: top navigation, side navigation, breadcrumbs and the Flashbar.
import AppLayout from '@cloudscape-design/components/app-layout'
import BreadcrumbGroup, { type BreadcrumbGroupProps } from '@cloudscape-design/components/breadcrumb-group'
import Flashbar from '@cloudscape-design/components/flashbar'
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation'
import Spinner from '@cloudscape-design/components/spinner'
import TopNavigation from '@cloudscape-design/components/top-navigation'
import { Suspense, useState } from 'react'
import { Outlet, useLocation } from 'react-router'
import { flashbarStrings } from '../lib/aria.ts'
import { signOut } from '../session.ts'
import { type ColorMode, initialColorMode, setColorMode } from './color-mode.ts'
import { useFlash } from './flash.tsx'
import { useSession } from './session-gate.tsx'
import { useFollow } from './use-follow.ts'

const memberLinks = [
  { text: 'Dashboard', href: '/' },
  { text: 'History', href: '/history' },
]
const settingsLinks = [
  { text: 'Profile and preferences', href: '/settings/profile' },
  { text: 'Notification channels', href: '/settings/channels' },
  { text: 'API tokens', href: '/settings/api-tokens' },
]
const adminLinks = [
  { text: 'Workspace settings', href: '/admin/settings' },
  { text: 'Members', href: '/admin/members' },
  { text: 'Rounds', href: '/admin/rounds' },
  { text: 'Notifications', href: '/admin/notifications' },
  { text: 'Stats', href: '/admin/stats' },
]

function navigationItems(isAdmin: boolean): SideNavigationProps.Item[] {
  const links = (items: { text: string; href: string }[]) =>
    items.map((item) => ({ type: 'link' as const, ...item }))
  return [
    ...links(memberLinks),
    { type: 'section-group', title: 'Settings', items: links(settingsLinks) },
    ...(isAdmin ? [{ type: 'section-group' as const, title: 'Admin', items: links(adminLinks) }] : []),
  ]
}

const breadcrumbLabels: Record<string, string> = {
  '/onboarding': 'Welcome',
  ...Object.fromEntries(
    [...memberLinks, ...settingsLinks, ...adminLinks].map((link) => [link.href, link.text]),
  ),
}

function breadcrumbsFor(pathname: string): BreadcrumbGroupProps.Item[] {
  const items = [{ text: 'Percolate', href: '/' }]
  if (pathname !== '/') items.push({ text: breadcrumbLabels[pathname] ?? 'Not found', href: pathname })
  return items
}

export function AppShell() {
  const location = useLocation()
  const flash = useFlash()
  const { me } = useSession()
  const [mode, setMode] = useState<ColorMode>(() => {
    const initial = initialColorMode()
    setColorMode(initial, false)
    return initial
  })
  const follow = useFollow()

  return (
    <>
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: '/', title: 'Percolate', onFollow: follow }}
          utilities={[
            {
              type: 'menu-dropdown',
              text: me.name,
              description: me.email,
              iconName: 'user-profile',
              items: [{ id: 'sign-out', text: 'Sign out' }],
              onItemClick: async ({ detail }) => {
                if (detail.id !== 'sign-out') return
                try {
                  await signOut()
                } finally {
                  // A full load: no cached data of the signed-out member stays in memory.
                  window.location.assign('/sign-in')
                }
              },
            },
            {
              type: 'button',
              iconName: mode === 'dark' ? 'star-filled' : 'star',
              text: mode === 'dark' ? 'Light mode' : 'Dark mode',
              ariaLabel: mode === 'dark' ? 'Switch to light mode' : 'Switch to dark mode',
              onClick: () => {
                const next = mode === 'dark' ? 'light' : 'dark'
                setColorMode(next)
                setMode(next)
              },
            },
          ]}
          i18nStrings={{ overflowMenuTriggerText: 'More', overflowMenuTitleText: 'All' }}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        ariaLabels={{
          navigation: 'Side navigation',
          navigationToggle: 'Open side navigation',
          navigationClose: 'Close side navigation',
          // The Flashbar's region: "Messages", not the admin page called Notifications (one name per landmark).
          notifications: 'Messages',
        }}
        navigation={
          <SideNavigation
            header={{ text: 'Percolate', href: '/' }}
            activeHref={location.pathname}
            items={navigationItems(me.role === 'admin')}
            onFollow={follow}
          />
        }
        breadcrumbs={
          <BreadcrumbGroup
            items={breadcrumbsFor(location.pathname)}
            ariaLabel="Breadcrumbs"
            onFollow={follow}
          />
        }
        notifications={<Flashbar items={flash.items} stackItems i18nStrings={flashbarStrings} />}
        toolsHide
        content={
          <Suspense fallback={<Spinner size="large" />}>
            <Outlet />
          </Suspense>
        }
      />
    </>
  )
}
