/**
 * A formatting failure the CLI reports the way docker does: the message alone on stderr (no
 * "Error: " prefix: docker prints "template parsing error: …" as it is) and docker's exit code
 * (64 for an inspect template that does not parse, 1 otherwise).
 */
export class FormatFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'FormatFailure';
  }
}
