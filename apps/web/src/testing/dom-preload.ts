// Component tests' preload: a browser-like document (happy-dom) for React and Cloudscape, cleaned after each test.
import { afterEach } from 'bun:test'
import { GlobalRegistrator } from '@happy-dom/global-registrator'

GlobalRegistrator.register({ url: 'http://localhost/', width: 1280, height: 800 })

// Imported after the document exists: testing-library reads it when it loads.
const { cleanup } = await import('@testing-library/react')
// API answers arrive asynchronously, outside act(), by design: tests poll for their effect (render-app.tsx's
// waitFor). React's warning about each such update is noise here; every other console error still shows.
const consoleError = console.error
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('not wrapped in act(')) return
  consoleError(...args)
}
afterEach(() => {
  cleanup()
  localStorage.clear()
})
