// Accessible names for Cloudscape's controls that show an icon and no text of their own (pagination arrows, a
// modal's close button, a calendar's month arrows, the stacked Flashbar's bar): without them a screen reader
// announces a nameless button. One wording everywhere; `make test`'s axe scans check every page for the rest.
import type { DatePickerProps } from '@cloudscape-design/components/date-picker'
import type { FlashbarProps } from '@cloudscape-design/components/flashbar'
import type { PaginationProps } from '@cloudscape-design/components/pagination'

export const paginationLabels: PaginationProps.Labels = {
  nextPageLabel: 'Next page',
  previousPageLabel: 'Previous page',
  pageLabel: (page) => `Page ${page}`,
}

/** Every Modal's close (X) button. */
export const modalCloseLabel = 'Close dialog'

export const datePickerStrings: DatePickerProps.I18nStrings = {
  previousMonthAriaLabel: 'Previous month',
  nextMonthAriaLabel: 'Next month',
  todayAriaLabel: 'Today',
  currentMonthAriaLabel: 'This month',
  openCalendarAriaLabel: (selected) => `Choose a date${selected ? `, selected ${selected}` : ''}`,
}

export const flashbarStrings: FlashbarProps.I18nStrings = {
  ariaLabel: 'Messages',
  notificationBarText: 'Messages',
  notificationBarAriaLabel: 'Show all messages',
  errorIconAriaLabel: 'Error',
  warningIconAriaLabel: 'Warning',
  successIconAriaLabel: 'Success',
  infoIconAriaLabel: 'Information',
  inProgressIconAriaLabel: 'In progress',
}
