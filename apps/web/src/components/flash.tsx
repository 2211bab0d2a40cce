// Every outcome and error reaches the person through one Flashbar; pages push messages here.
import type { FlashbarProps } from '@cloudscape-design/components/flashbar'
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'

type Message = Omit<FlashbarProps.MessageDefinition, 'onDismiss' | 'dismissible'> & { id: string }

interface FlashApi {
  items: FlashbarProps.MessageDefinition[]
  show(message: Message): void
  dismiss(id: string): void
}

const FlashContext = createContext<FlashApi | null>(null)

export function FlashProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<Message[]>([])
  const dismiss = useCallback((id: string) => setMessages((all) => all.filter((m) => m.id !== id)), [])
  const show = useCallback(
    // Newest first: a stacked Flashbar shows its first item on top.
    (message: Message) => setMessages((all) => [message, ...all.filter((m) => m.id !== message.id)]),
    [],
  )
  const value = useMemo<FlashApi>(
    () => ({
      items: messages.map((message) => ({
        ...message,
        dismissible: true,
        dismissLabel: 'Dismiss message',
        onDismiss: () => dismiss(message.id),
      })),
      show,
      dismiss,
    }),
    [messages, show, dismiss],
  )
  return <FlashContext.Provider value={value}>{children}</FlashContext.Provider>
}

export function useFlash(): FlashApi {
  const api = useContext(FlashContext)
  if (!api) throw new Error('useFlash must be used inside <FlashProvider>')
  return api
}
