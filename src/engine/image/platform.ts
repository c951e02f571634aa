/** docker's `--platform os/arch[/variant]` (pull, import), as OCI names them. */
import { invalid } from '../errors.js';
import { ociArch } from './oci.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** This machine's platform when `s` is empty. */
export function parsePlatform(s?: string): Platform {
  if (!s) return { os: 'linux', architecture: ociArch(), ...(ociArch() === 'arm64' ? { variant: 'v8' } : {}) };
  const [os, architecture, variant] = s.toLowerCase().split('/');
  if (!os || !architecture) throw invalid(`invalid platform ${JSON.stringify(s)}: expected os/arch[/variant]`);
  const arch = architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture;
  return { os, architecture: arch, ...(variant ? { variant } : {}) };
}
