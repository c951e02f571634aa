#!/bin/sh
# Sets berth up on this machine, idempotently: system packages (apt), a Node ≥ 22 for the
# project when the host's is older, npm packages, and the compiled CLI. Safe to run again.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
cd "$here"
say() { printf 'setup: %s\n' "$*" >&2; }

# What the engine needs at run time, and what the test suite needs on top: every program a test
# runs (tmux; the registry and htpasswd; skopeo; ps; dockerd and the docker CLI; podman; sshd,
# ssh and ssh-keygen; python3; openssl; curl, run inside containers' netns; docker-compose and
# docker-py, the Engine API socket's clients) comes from here, so
# a test never skips for want of a tool.
ENGINE_PKGS="runc conmon containernetworking-plugins iptables iproute2 busybox-static util-linux mount tini"
TEST_PKGS="tmux docker-registry apache2-utils skopeo procps docker.io podman openssh-server openssh-client python3 openssl curl docker-compose python3-docker"
# The cgroup v2 tests boot a Debian 12 VM (test/vm/): qemu (TCG), debootstrap to build its root
# (also the real-image tests' Debian rootfs), e2fsprogs to make and read its disks unmounted.
VM_PKGS="qemu-system-x86 debootstrap e2fsprogs"
NODE_PKGS="nodejs npm"

missing_pkgs() {
  out=""
  for p in "$@"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = "installed" ] || out="$out $p"
  done
  echo "$out"
}

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  want="$ENGINE_PKGS $TEST_PKGS $VM_PKGS"
  command -v npm >/dev/null 2>&1 || want="$want $NODE_PKGS"
  # shellcheck disable=SC2086
  need=$(missing_pkgs $want)
  if [ -n "$need" ]; then
    [ "$(id -u)" = 0 ] || { say "installing$need needs root (run as root or with sudo)"; exit 1; }
    say "installing system packages:$need"
    export DEBIAN_FRONTEND=noninteractive
    # The tests start their own dockerd, sshd and registry on temporary sockets and ports: the
    # packages must not start system-wide services (policy-rc.d says so to apt's scripts).
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
    fi
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $need >/dev/null || { [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    # ... nor at the next boot, for the services we just installed only for the tests.
    if command -v systemctl >/dev/null 2>&1; then
      case " $need " in *" docker.io "*) systemctl disable --now docker.service docker.socket containerd.service >/dev/null 2>&1 || true ;; esac
      case " $need " in *" podman "*) systemctl disable --now podman.socket podman.service podman-restart.service podman-auto-update.timer >/dev/null 2>&1 || true ;; esac
      case " $need " in *" openssh-server "*) systemctl disable --now ssh.service >/dev/null 2>&1 || true ;; esac
      case " $need " in *" docker-registry "*) systemctl disable --now docker-registry.service >/dev/null 2>&1 || true ;; esac
    fi
  fi
else
  for b in runc conmon iptables ip busybox mount npm; do
    command -v "$b" >/dev/null 2>&1 || { miss="${miss:-} $b"; }
  done
  [ -x /usr/lib/cni/bridge ] || [ -x /opt/cni/bin/bridge ] || miss="${miss:-} cni-plugins"
  if [ -n "${miss:-}" ]; then
    say "missing:${miss}. This script installs packages only with apt; elsewhere install:"
    say "  Fedora/RHEL: dnf install runc conmon containernetworking-plugins iptables iproute busybox catatonit nodejs npm"
    say "  Arch:        pacman -S runc conmon cni-plugins iptables iproute2 busybox catatonit nodejs npm"
    say "  Alpine:      apk add runc conmon cni-plugins iptables iproute2 busybox tini-static nodejs npm"
    say "  tests also need: tmux, docker-registry (distribution), htpasswd (apache2-utils/httpd-tools), skopeo, dockerd and docker (docker.io/moby), podman, sshd and ssh (openssh), python3, openssl, curl, docker-compose, docker-py (python3-docker), qemu-system-x86, debootstrap, e2fsprogs"
    exit 1
  fi
fi

# Node ≥ 22 (Ink 8 needs it). Debian 12 ships 18; the npm package node@22 brings a private one.
# The choice is recorded as the link .runtime/node, which bin/berth runs without re-checking.
rm -f .runtime/node
if ! scripts/node -e '' >/dev/null 2>&1; then
  say "installing Node 22 into .runtime/ (the host's Node is older)"
  mkdir -p .runtime
  npm install --prefix .runtime --no-audit --no-fund --loglevel=error node@22 >/dev/null
  scripts/node -e '' || { say "Node 22 did not install; install Node >= 22 and set BERTH_NODE"; exit 1; }
fi
mkdir -p .runtime
ln -sf "$(scripts/node -p 'process.execPath')" .runtime/node

# npm packages, only when package.json or the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ] \
   || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  say "installing npm packages"
  # `npm install` (not `ci`): it honours the lockfile yet tolerates optional per-platform
  # packages the lockfile of another npm version did not list.
  npm install --no-audit --no-fund --loglevel=error >/dev/null
  touch node_modules/.package-lock.json
fi

say "building"
scripts/node node_modules/typescript/bin/tsc -p tsconfig.json
scripts/node scripts/bundle.mjs
say "ready: $here/bin/berth"
