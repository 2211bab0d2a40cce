// Cloudscape links and buttons with an href navigate inside the app (no page load) through this handler.
import { useNavigate } from 'react-router'

export function useFollow() {
  const navigate = useNavigate()
  return (event: CustomEvent<{ href?: string; external?: boolean }>) => {
    if (event.detail.external || !event.detail.href) return
    event.preventDefault()
    navigate(event.detail.href)
  }
}
