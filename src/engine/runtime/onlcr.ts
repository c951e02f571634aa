/**
 * The tty line ending of an exec'd process's output, made the same for every byte of it.
 *
 * runc clears ONLCR on the container's pty only once it has received the pty's master — after
 * the process has started, which may already have written (measured under load: 7 runs in 60
 * began with "\r\n" from the container's pty, the rest with "\n"). The pty berth runs runc under
 * (`script`'s) is set raw and -onlcr, so nothing more is added there; this turns each lone "\n"
 * into "\r\n", what a terminal expects, whichever side of runc's change a line was written on.
 */
export class Onlcr {
  /** Whether the last byte passed on was "\r" (a "\r\n" may be split between chunks). */
  private cr = false;

  push(chunk: Buffer): Buffer {
    const crBefore = (i: number) => (i === 0 ? this.cr : chunk[i - 1] === 0x0d);
    let extra = 0;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a && !crBefore(i)) extra++;
    let out = chunk;
    if (extra > 0) {
      out = Buffer.allocUnsafe(chunk.length + extra);
      let o = 0;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] === 0x0a && !crBefore(i)) out[o++] = 0x0d;
        out[o++] = chunk[i]!;
      }
    }
    if (chunk.length) this.cr = chunk[chunk.length - 1] === 0x0d;
    return out;
  }
}
