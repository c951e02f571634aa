"""Runs a command under a pseudo-terminal the way a user at a terminal would (docker run -it).

argv: ROWS COLS NEW_ROWS NEW_COLS CMD...  The terminal starts ROWS x COLS; once the shell in the
container prompts, `stty size` must come to print that size (asked until it does: the client
sends its size after the start); then the terminal is resized (the kernel sends SIGWINCH to the
client, which sends docker's resize) and `stty size` is asked again until the new size shows;
then `exit 5`. Prints one JSON line:
{"first": bool, "resized": bool, "code": exit code, "out": everything the terminal showed}.
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

rows, cols, new_rows, new_cols = (int(x) for x in sys.argv[1:5])
cmd = sys.argv[5:]


def set_size(fd, r, c):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))


pid, fd = pty.fork()
if pid == 0:
    set_size(0, rows, cols)
    os.execvp(cmd[0], cmd)

out = b""


def read_until(pred, seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return pred()
            if not chunk:
                return pred()
            out += chunk
    return pred()


def ask_size(r, c, winch=False):
    # the client sends the size after the start, so the shell may prompt before it arrives
    # (docker's own daemon is no different): ask until it shows. The kernel's SIGWINCH may come
    # before the client listens for it (docker 28 does so only after its first resize): `winch`
    # signals it again each time, as a terminal that is resized again would
    end = time.time() + 60
    while time.time() < end:
        if winch:
            os.kill(pid, signal.SIGWINCH)
        mark = len(out)
        os.write(fd, b"stty size\r")
        if read_until(lambda: f"{r} {c}".encode() in out[mark:], 1):
            return True
    return False


result = {"first": False, "resized": False}
if read_until(lambda: b"# " in out, 60):
    result["first"] = ask_size(rows, cols)
    set_size(fd, new_rows, new_cols)
    result["resized"] = ask_size(new_rows, new_cols, winch=True)
    os.write(fd, b"exit 5\r")
read_until(lambda: False, 0)
end = time.time() + 60
status = None
while time.time() < end:
    read_until(lambda: False, 0.2)
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        break
else:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
result["code"] = os.waitstatus_to_exitcode(status)
result["out"] = out.decode(errors="replace")
print(json.dumps(result))
