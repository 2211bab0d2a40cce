// Loads every page of a cursor-paged list in the background (lists here are a workspace's size: members, rounds),
// so client-side filtering, sorting and pagination (useCollection) see all of it.
import { useEffect } from 'react'

export function useAllPages(query: {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  isError: boolean
  fetchNextPage: () => Promise<unknown>
}): void {
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage])
}
