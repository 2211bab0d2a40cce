// Opaque secrets (refresh tokens, API tokens): random, shown once, stored only as a SHA-256 hash.

/** 256 bits from the platform CSPRNG, base64url. */
export function generateOpaqueToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return Buffer.from(bytes).toString('base64url')
}

/** What is stored: a lookup hash. The token has 256 bits of entropy, so no salt or slow hash is needed. */
export function hashOpaqueToken(token: string): string {
  return new Bun.CryptoHasher('sha256').update(token).digest('hex')
}
