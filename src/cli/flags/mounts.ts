/** docker's `-v` and `--mount` syntaxes → the engine's MountSpec. */
import type { MountPropagation, MountSpec } from '../../engine/api.js';

const PROPAGATIONS = new Set<string>(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
import { usageError } from './usage-error.js';

/** `-v NAME:/path[:ro]`, `-v /host:/path[:ro,...]`, `-v /path` (anonymous). */
export function parseVolumeFlag(spec: string): MountSpec {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) throw usageError(`invalid volume specification: '${spec}'`);
  if (parts.length === 1) return { type: 'volume', source: '', target: parts[0]!, readOnly: false };
  const [src, target, mode = ''] = parts as [string, string, string?];
  const modes = mode.split(',').filter(Boolean);
  for (const m of modes)
    if (!['ro', 'rw', 'z', 'Z', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'nocopy'].includes(m)) throw usageError(`invalid mode: ${m}`);
  if (!target.startsWith('/'))
    throw usageError(
      `invalid volume specification: '${spec}': invalid mount config for type "volume": invalid mount path: '${target}' mount path must be absolute`,
    );
  const readOnly = modes.includes('ro');
  const propagations = modes.filter((m) => PROPAGATIONS.has(m));
  if (propagations.length > 1) throw usageError(`invalid mode: ${mode}`);
  const propagation = propagations[0] as MountPropagation | undefined;
  if (src.startsWith('/') || src.startsWith('.')) {
    if (!src.startsWith('/')) throw usageError(`invalid volume specification: '${spec}': bind source must be an absolute path`);
    return { type: 'bind', source: src, target, readOnly, createHostPath: true, ...(propagation ? { propagation } : {}) };
  }
  // docker: propagation is a bind's; a named volume with one is refused
  if (propagation) throw usageError(`invalid volume specification: '${spec}': invalid mode: ${mode}`);
  return { type: 'volume', source: src, target, readOnly };
}

/** `--mount type=bind|volume|tmpfs,source=…,target=…[,readonly][,tmpfs-size=…]`. */
export function parseMountFlag(spec: string): MountSpec {
  let type: MountSpec['type'] = 'volume';
  let source = '';
  let target = '';
  let readOnly = false;
  let propagation: MountPropagation | undefined;
  const options: string[] = [];
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? '' : field.slice(eq + 1);
    switch (key) {
      case 'type':
        if (val !== 'bind' && val !== 'volume' && val !== 'tmpfs')
          throw usageError(`invalid argument "${spec}" for "--mount" flag: invalid mount type: ${val}`);
        type = val;
        break;
      case 'source':
      case 'src':
        source = val;
        break;
      case 'target':
      case 'destination':
      case 'dst':
        target = val;
        break;
      case 'readonly':
      case 'ro':
        readOnly = eq < 0 || ['1', 'true'].includes(val.toLowerCase());
        break;
      case 'tmpfs-size':
        options.push(`size=${val}`);
        break;
      case 'tmpfs-mode':
        options.push(`mode=${val}`);
        break;
      case 'bind-propagation':
        if (!PROPAGATIONS.has(val)) throw usageError(`invalid argument "${spec}" for "--mount" flag: invalid propagation value: ${val}`);
        propagation = val as MountPropagation;
        break;
      case 'volume-nocopy':
      case 'consistency':
        break;
      default:
        throw usageError(`invalid argument "${spec}" for "--mount" flag: unexpected key '${key}' in '${field}'`);
    }
  }
  if (!target) throw usageError(`invalid argument "${spec}" for "--mount" flag: target is required`);
  if (type === 'bind' && !source) throw usageError(`invalid argument "${spec}" for "--mount" flag: source is required when type is bind`);
  if (type === 'tmpfs' && source) throw usageError(`invalid argument "${spec}" for "--mount" flag: source is not allowed for tmpfs`);
  if (propagation && type !== 'bind') throw usageError(`invalid argument "${spec}" for "--mount" flag: cannot mix 'bind-*' options with mount type '${type}'`);
  return { type, source, target, readOnly, ...(options.length ? { options } : {}), ...(propagation ? { propagation } : {}) };
}
