# The program under test on a pseudo-terminal of a given size (shared by pty-launch.py and
# pty-steady.py): start it, and end it (SIGTERM if still there, then reap it) once measured.
import fcntl, os, pty, signal, struct, sys, termios


def spawn(cols, rows, argv):
    """Forks `argv` on a new pty of cols x rows; returns (pid, master fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        os.execvp(argv[0], argv)
    return pid, fd


def finish(pid):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
