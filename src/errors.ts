/**
 * A mistake the user can fix (a directory that does not exist, a bad option). The CLI prints
 * the message and the hint and exits 2; anything else that is thrown is a bug and keeps its stack.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
