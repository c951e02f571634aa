/**
 * berth's OCI runtime driver: config.json generation, containers under conmon, runc commands,
 * exec, attach and logs. Works on bundle directories; knows nothing about images or SQLite.
 */
export { buildSpec, writeSpec, specToJson, parseSpecJson, toExactJson, buildEnv, buildCaps } from './spec.js';
export type { SpecInput, SpecMount, Propagation, OciSpec, OciProcess, BuiltSpec } from './spec.js';
export { resolveUser } from './user.js';
export type { ResolvedUser } from './user.js';
export { clampRlimits, ownLimits, parseLimits, RLIM_INFINITY } from './rlimits.js';
export type { Rlimit } from './rlimits.js';
export { conmonCreate, conmonStart, conmonArgs, bundleFiles, isConmon } from './conmon.js';
export type { ConmonCreateOptions, CreatedContainer } from './conmon.js';
export { Runc, parseState, checkId } from './runc.js';
export type { RuntimeConfig, RuncState, RuncStatus } from './runc.js';
export { parseSignal } from './signals.js';
export { readLogs, logSize } from './logs.js';
export type { ReadLogsOptions } from './logs.js';
export { parseK8sLine, parseTimeArg, formatNs } from './k8s-file.js';
export type { LogRecord } from './k8s-file.js';
export { execInContainer, execProcess } from './exec.js';
export type { ExecRequest } from './exec.js';
export { attachContainer, resize } from './attach.js';
export type { AttachOptions } from './attach.js';
export { parseDetachKeys, DetachMatcher, DEFAULT_DETACH_KEYS } from './detach-keys.js';
export { exitFilePath, readExitFile, waitExitFile } from './exit-file.js';
export { top, filterPs } from './top.js';
export { chooseRuntime, cgroupMode, findBinary, findConmon } from './runtime.js';
export type { RuntimeChoice, CgroupMode } from './runtime.js';
