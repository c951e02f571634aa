# Launches a full-screen program on a pseudo-terminal of a given size and times what a user
# would see: the first frame (the first output that contains MARKER) after the launch, and key
# press to the next output once the screen is quiet. Prints one JSON line. Used by the dashboard
# benchmark for the figures an in-process render cannot give (Node start-up and module loading
# are most of the first frame). Node has no pty of its own; Python's pty module does.
#   python3 pty-launch.py COLUMNS ROWS MARKER QUIET_MS -- PROGRAM ARGS...
import json, os, select, sys, time

from pty_child import finish, spawn

cols, rows, marker, quiet_ms = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), int(sys.argv[4])
argv = sys.argv[sys.argv.index('--') + 1:]
t0 = time.monotonic()
pid, fd = spawn(cols, rows, argv)

def read(timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return None
    try:
        return os.read(fd, 65536)
    except OSError:
        return b''

result = {}
buf = b''
deadline = t0 + 30
while True:
    chunk = read(max(0, deadline - time.monotonic()))
    if not chunk:
        result['error'] = 'no first frame'
        break
    if 'firstByteMs' not in result:
        result['firstByteMs'] = round((time.monotonic() - t0) * 1000, 1)
    buf += chunk
    if marker in buf:
        result['firstFrameMs'] = round((time.monotonic() - t0) * 1000, 1)
        break

def settle(limit):
    # Reads until nothing arrives for quiet_ms (the lists and first stats drawn).
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if read(quiet_ms / 1000) is None:
            return True
    return False

if 'firstFrameMs' in result:
    keys = []
    for i in range(6):
        settle(5)
        # Alternating panes: a key that changes the screen whatever the state holds.
        os.write(fd, b'2' if i % 2 == 0 else b'1')
        k0 = time.monotonic()
        if read(2) is not None:
            keys.append(round((time.monotonic() - k0) * 1000, 1))
    keys.sort()
    if keys:
        result['keyToFrameMs'] = keys[len(keys) // 2]  # median
        result['keyToFrameAllMs'] = keys
    os.write(fd, b'q')
    settle(3)
finish(pid)
print(json.dumps(result))
