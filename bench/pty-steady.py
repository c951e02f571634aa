# Runs a full-screen program on a pseudo-terminal of a given size and measures its steady state:
# after the first frame (output containing MARKER) and WARMUP seconds, for SECONDS seconds, the
# CPU time of the process (user + system, read from /proc, with any children it waited for), the
# bytes it wrote to the terminal, and its resident memory. Then types q and waits for it to exit.
# Prints one JSON line. Used by the live dashboard benchmark (issue 5's "≤ 1.5 % of one core and
# ≤ 2 KB/s with 50 running containers at 1 Hz"): an in-process render cannot see Node's own work
# (timers, GC, the engine's reads); /proc sees all of it.
#   python3 pty-steady.py COLUMNS ROWS MARKER WARMUP SECONDS -- PROGRAM ARGS...
import json, os, select, sys, time

from pty_child import finish, spawn

cols, rows, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
warmup, seconds = float(sys.argv[4]), float(sys.argv[5])
argv = sys.argv[sys.argv.index('--') + 1:]
tick = os.sysconf('SC_CLK_TCK')

pid, fd = spawn(cols, rows, argv)


def cpu_ms():
    # Fields after the command name (which may hold spaces): utime stime cutime cstime are 14-17.
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return sum(int(x) for x in fields[11:15]) * 1000 / tick


def thread_ms():
    # Per thread of the process: name -> CPU ms (Node's main thread, libuv's pool, V8's workers).
    out = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.index('(') + 1:raw.rindex(')')]
        fields = raw.rsplit(')', 1)[1].split()
        key = 'main' if tid == str(pid) else name
        out[key] = out.get(key, 0) + sum(int(x) for x in fields[11:13]) * 1000 / tick
    return out


def status_kb(key):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


def drain(until):
    """Reads the terminal until the monotonic time `until`; returns the bytes read, or None at EOF."""
    n = 0
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return n
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        n += len(chunk)


result = {}
buf = b''
deadline = time.monotonic() + 30
while marker not in buf:
    r, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
    chunk = os.read(fd, 65536) if r else b''
    if not chunk:
        result['error'] = 'no first frame'
        break
    buf += chunk

if 'error' not in result:
    if drain(time.monotonic() + warmup) is None:
        result['error'] = 'exited during warm-up'
    else:
        c0, t0, th0 = cpu_ms(), time.monotonic(), thread_ms()
        n = drain(t0 + seconds)
        if n is None:
            result['error'] = 'exited while measured'
        else:
            c1, t1, th1 = cpu_ms(), time.monotonic(), thread_ms()
            result['cpuMsPerS'] = round((c1 - c0) / (t1 - t0), 2)
            result['bytesPerS'] = round(n / (t1 - t0), 1)
            result['rssMB'] = round(status_kb('VmRSS') / 1024, 1)
            result['seconds'] = round(t1 - t0, 1)
            result['threadsMsPerS'] = {k: round((v - th0.get(k, 0)) / (t1 - t0), 2) for k, v in th1.items() if v - th0.get(k, 0) > 0}
    os.write(fd, b'q')
    drain(time.monotonic() + 3)
finish(pid)
print(json.dumps(result))
