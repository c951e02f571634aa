/**
 * berth's cgroup layer: what the engine calls. Detection, docker-style limits → OCI resources,
 * reading limits back, the live stats sampler, and crash cleanup, for cgroup v1 and v2.
 * Formatting for humans is the CLI's.
 */
export { type CgroupLayout, type CgroupMode, DEFAULT_CGROUP_ROOT, detectCgroups } from './detect.js';
export {
  type CgroupDirs,
  type CgroupDriver,
  type CgroupRef,
  DEFAULT_PARENT,
  DEFAULT_SLICE,
  cgroupsPathFor,
  containerDirs,
  driverOf,
  relativeCgroupPath,
  scopeUnitFor,
} from './paths.js';
export { CgroupDriverError, SYSTEMD_RUN_DIR, chooseCgroupDriver } from './driver.js';
export {
  type LimitHost,
  type OciLinuxResources,
  type ResourceOptions,
  CPU_PERIOD_US,
  LINUX_MIN_MEMORY,
  LimitError,
  limitHostFor,
  toOciResources,
} from './limits.js';
export { type MoreLimitHost, type MoreResourceOptions, addMoreResources, moreLimitHostFor, parseCpuList } from './more-limits.js';
export { type WeightFormula, sharesToWeight, weightToShares } from './weight.js';
export { type CgroupLimits, readLimits } from './read-limits.js';
export { type SamplerOptions, CgroupSampler } from './sampler.js';
export { type RemoveReport, cgroupAgeMs, cgroupHasProcesses, ensureParent, listChildCgroups, listContainerCgroups, removeContainerCgroup } from './cleanup.js';
export { type BenchKind, type BenchResult, benchSampler } from './bench.js';
