/**
 * Files written into the VM's base root: it boots (systemd, pure cgroup v2) straight into one
 * job, the program on its second disk, and powers off when the job ends, however it ends.
 * Everything a run varies (the project, the program, its results) is on that second disk, so
 * the cached base image never changes.
 */

/** The second disk: made per run by job-disk.ts with this label, mounted at /job. */
export const JOB_LABEL = 'berth-job';
export const JOB_MOUNT = '/job';
/** The program the job unit runs, relative to the job disk's root. */
export const JOB_ENTRY = 'entry';

const JOB_UNIT = `[Unit]
Description=berth test job (the program on the disk labelled ${JOB_LABEL})
# The job's own network namespaces and bridges; nothing else is configured in the guest.
After=local-fs.target
# However the job ends, the VM powers off (the host waits for qemu to exit).
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=oneshot
# Mounted here rather than in fstab: a missing or broken disk then fails this unit, and its
# FailureAction powers the VM off at once instead of leaving it waiting for the host's timeout.
ExecStartPre=/bin/mount -t ext4 -o rw /dev/disk/by-label/${JOB_LABEL} ${JOB_MOUNT}
ExecStart=/bin/sh ${JOB_MOUNT}/${JOB_ENTRY}
# The job's output on ttyS0 too: the host's console log then shows how far it got, also when
# the VM has to be killed.
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
`;

/** Path in the guest → content. */
export const GUEST_FILES: Record<string, string> = {
  '/etc/hostname': 'berth-vm\n',
  '/etc/hosts': '127.0.0.1 localhost berth-vm\n::1 localhost ip6-localhost ip6-loopback\n',
  // No fsck: the root is a throw-away snapshot of the cached image (qemu's snapshot=on).
  '/etc/fstab': '/dev/vda / ext4 rw,errors=remount-ro 0 0\n',
  // A fixed machine id: not a "first boot", so nothing prompts on the console.
  '/etc/machine-id': 'b3a7c0de5eed4b0c8e7d6f5a4b3c2d1e\n',
  // The journal in memory: nothing for the job to wait on, and read back by the job itself.
  '/etc/systemd/journald.conf.d/berth-vm.conf': '[Journal]\nStorage=volatile\n',
  '/etc/systemd/system/berth-job.service': JOB_UNIT,
  // Not the conffile /etc/initramfs-tools/initramfs.conf: a changed conffile makes dpkg ask.
  '/etc/initramfs-tools/conf.d/berth-vm.conf': 'MODULES=list\n',
};

/**
 * Executables (mode 0755). The initrd only has to find the root on a virtio disk: listing its
 * modules instead of initramfs-tools' MODULES=most makes it in seconds instead of minutes (it
 * was most of a cold build), and a small initrd loads faster under emulation.
 */
export const GUEST_SCRIPTS: Record<string, string> = {
  '/etc/initramfs-tools/hooks/berth-vm': `#!/bin/sh
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules virtio_pci virtio_blk ext4 crc32c_generic crc32c_intel
`,
};

/** Symlinks: [path, target]. Enabling a unit is a symlink, as systemctl enable makes it. */
export const GUEST_LINKS: [string, string][] = [
  ['/etc/systemd/system/multi-user.target.wants/berth-job.service', '/etc/systemd/system/berth-job.service'],
  ['/etc/systemd/system/default.target', '/lib/systemd/system/multi-user.target'],
];

/**
 * Units that would only cost boot time or get in the way: the serial getty hangs up other
 * writers of ttyS0 (the job's console output), the timers start maintenance mid-test.
 */
export const MASKED_UNITS = [
  'serial-getty@ttyS0.service',
  'getty@tty1.service',
  'getty.target',
  'systemd-firstboot.service',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'dpkg-db-backup.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
  'systemd-tmpfiles-clean.timer',
  'logrotate.timer',
  'man-db.timer',
];
