/**
 * The one error type the template engine lets out. `message` is Go's text for the same mistake
 * ("template: :1: unclosed action", "template: :1:2: executing \"\" at <.Foo>: …"), so the CLI
 * can print it the way docker does; `partial` is what execution wrote before it failed (docker
 * keeps that output for table headers).
 */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: 'parse' | 'exec',
    readonly partial = '',
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * An error returned (or a panic raised) by a function or method called from a template; the
 * executor turns it into "error calling NAME: MESSAGE" at the calling node, as Go does.
 */
export class CallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallError';
  }
}
