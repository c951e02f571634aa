#!/bin/sh
# Builds the test VM's base image into OUT (an empty directory): vmlinuz, initrd.img, root.img.
# Run by test/vm/image.ts as
#   unshare --mount --propagation private --pid --fork --kill-child sh build-image.sh OUT OVERLAY
# with SUITE, MIRROR, VARIANT, PACKAGES and ROOT_SIZE in the environment (the recipe).
# The root is assembled in a tmpfs inside that private mount namespace: no fsync per package
# (dpkg's, several times faster on a busy disk), and every mount made here (the tmpfs, proc in
# the chroot, whatever debootstrap mounts) vanishes with the namespace, also when the build is
# killed half-way. OVERLAY holds the guest's own files (units, fstab, masks), copied in last.
set -eu
out=$1
overlay=$2
root=$out/root
step() { printf '%s %s\n' "$(date +%s)" "$*"; }

mkdir -p "$root"
mount -t tmpfs -o size=3g,mode=0755 berth-vm-root "$root"

step "debootstrap $VARIANT $SUITE $MIRROR"
debootstrap --variant="$VARIANT" "$SUITE" "$root" "$MIRROR"

step "apt-get install $PACKAGES"
# The guest's files first (the initrd's configuration must be there when the kernel is
# installed) and again at the end (whatever the packages' scripts did, ours win).
cp -a "$overlay/." "$root/"
# Package scripts must not start services (policy-rc.d), nor fsync every file they unpack.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
echo force-unsafe-io > "$root/etc/dpkg/dpkg.cfg.d/berth-vm-unsafe-io"
# shellcheck disable=SC2016
LC_ALL=C DEBIAN_FRONTEND=noninteractive chroot "$root" /bin/sh -ec '
  mount -t proc proc /proc
  apt-get update -qq
  # INITRD=No: the kernel package does not make an initrd; it is made once below (the kernel
  # and initramfs-tools would each make one otherwise).
  INITRD=No apt-get install -y -qq --no-install-recommends '"$PACKAGES"'
  update-initramfs -c -k all
  apt-get clean
  umount /proc
'
rm -rf "$root/var/lib/apt/lists/"* "$root/usr/sbin/policy-rc.d" "$root/etc/dpkg/dpkg.cfg.d/berth-vm-unsafe-io"

step "guest files"
cp -a "$overlay/." "$root/"

step "kernel and initrd"
kver=$(ls "$root/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
[ -n "$kver" ] && [ -f "$root/boot/initrd.img-$kver" ] || { echo "no kernel/initrd in /boot: $(ls "$root/boot")" >&2; exit 1; }
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"

step "mkfs.ext4 -d ($(du -sh "$root" | cut -f1))"
mkfs.ext4 -q -F -L berth-root -d "$root" "$out/root.img" "$ROOT_SIZE"
umount "$root"
rmdir "$root"
step done
