// Accessibility scans in the end-to-end tests: axe-core runs inside the page as it is shown, and a scan fails on
// any violation of impact serious or critical. Everything axe finds (lesser impacts too) is written to
// test-results/axe/<name>.json for a look.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import axe from 'axe-core'
import type { Page } from 'playwright-core'

const reportDir = join(import.meta.dir, '../test-results/axe')

/**
 * Known findings that come from Cloudscape itself and cannot be fixed in our code: a rule id and the exact
 * selector of the offending node (a Cloudscape class; its hash suffix changes between Cloudscape versions, the
 * name does not). Each entry says why. Nothing else is ever excluded.
 */
const cloudscapeExclusions: { rule: string; selector: RegExp; why: string }[] = [
  {
    rule: 'aria-allowed-attr',
    selector: /^\.awsui_mobile-toolbar-nav_[\w-]+$/,
    why:
      'AppLayout draws its phone-width toolbar as <nav aria-orientation="horizontal"> (app-layout/visual-refresh/' +
      'mobile-toolbar.js, hard-coded; no prop changes it). aria-orientation is not allowed on a navigation ' +
      'landmark; screen readers ignore it, the landmark and its label work.',
  },
  {
    rule: 'aria-dialog-name',
    selector: /^\.awsui_calendar_[\w-]+$/,
    why:
      'DatePicker opens its calendar in <div role="dialog"> without a name (date-picker/index.js, hard-coded; ' +
      'ariaLabel and i18nStrings label the input and the calendar grid, not that wrapper). The grid inside is ' +
      'labelled, so the month and the days are announced.',
  },
]

export interface AxeFinding {
  id: string
  impact: string | null | undefined
  help: string
  helpUrl: string
  nodes: { target: string; failureSummary?: string }[]
}

type AxeWindow = Window & { axe?: typeof axe }

/** Injects axe-core once per document (a full navigation needs it again). */
async function injectAxe(page: Page) {
  const present = await page.evaluate(() => typeof (window as AxeWindow).axe !== 'undefined')
  if (!present) await page.addScriptTag({ content: axe.source })
}

/**
 * The rules whose outcome depends on colors: all a second scan of the same page in the other color mode needs
 * (Cloudscape's dark mode swaps its color tokens and nothing else).
 */
export const colorRules = ['color-contrast', 'link-in-text-block']

/**
 * Runs axe on the page as it is now (every rule, or only `rules`); returns every violation (all impacts),
 * exclusions applied.
 */
export async function axeViolations(page: Page, rules?: string[]): Promise<AxeFinding[]> {
  await injectAxe(page)
  const results = await page.evaluate(async (only) => {
    const run = await (window as AxeWindow).axe!.run(document, {
      resultTypes: ['violations'],
      ...(only ? { runOnly: { type: 'rule', values: only } } : {}),
    })
    return run.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' '),
        failureSummary: node.failureSummary,
      })),
    }))
  }, rules)
  return results
    .map((violation) => ({
      ...violation,
      nodes: violation.nodes.filter(
        (node) =>
          !cloudscapeExclusions.some(
            (exclusion) => exclusion.rule === violation.id && exclusion.selector.test(node.target),
          ),
      ),
    }))
    .filter((violation) => violation.nodes.length > 0)
}

const blocking = new Set(['serious', 'critical'])

/** One entry per serious or critical violation: rule id, impact, help and the offending nodes' selectors. */
export function describeViolations(name: string, violations: AxeFinding[]): string[] {
  return violations
    .filter((violation) => blocking.has(violation.impact ?? ''))
    .map((violation) => {
      const nodes = violation.nodes.map((node) => {
        const summary = node.failureSummary
          ? `\n      ${node.failureSummary.replaceAll('\n', '\n      ')}`
          : ''
        return `    ${node.target}${summary}`
      })
      return `${name}: ${violation.id} (${violation.impact}) ${violation.help}\n${nodes.join('\n')}`
    })
}

/**
 * Scans the page as it is now and writes the report; returns one description per serious or critical violation
 * (none: the page passes). `name` names the page and its state (and the report file); `rules` limits the scan.
 */
export async function accessibilityProblems(page: Page, name: string, rules?: string[]): Promise<string[]> {
  const violations = await axeViolations(page, rules)
  mkdirSync(reportDir, { recursive: true })
  writeFileSync(join(reportDir, `${name}.json`), `${JSON.stringify(violations, null, 2)}\n`)
  return describeViolations(name, violations)
}

/** Scans the page and throws, listing every serious or critical violation, if there is any. */
export async function expectAccessible(page: Page, name: string) {
  const problems = await accessibilityProblems(page, name)
  if (problems.length > 0) {
    throw new Error(`accessibility violations (axe-core ${axe.version}):\n${problems.join('\n')}`)
  }
}

export const axeVersion = axe.version
