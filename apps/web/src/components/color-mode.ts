// Light and dark mode: follows the system until the person picks one, then remembers the choice.
import { applyMode, Mode } from '@cloudscape-design/global-styles'

const storageKey = 'percolate.colorMode'

export type ColorMode = 'light' | 'dark'

export function initialColorMode(): ColorMode {
  const stored = localStorage.getItem(storageKey)
  if (stored === 'light' || stored === 'dark') return stored
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

export function setColorMode(mode: ColorMode, remember = true): void {
  applyMode(mode === 'dark' ? Mode.Dark : Mode.Light)
  if (remember) localStorage.setItem(storageKey, mode)
}
