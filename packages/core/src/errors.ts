// Errors that callers are expected to catch by type.

/**
 * A ciphertext, tag, nonce or associated data did not authenticate: the data was tampered
 * with, truncated, or opened with the wrong key. No plaintext is ever released with it.
 */
export class AuthenticationError extends Error {
  override readonly name = "AuthenticationError";
  constructor(message = "authentication failed: the data was modified or the key is wrong") {
    super(message);
  }
}
