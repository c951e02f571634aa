/**
 * `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published ports, docker's
 * forms — `80/tcp -> 0.0.0.0:8080` for all of them, `0.0.0.0:8080` for one asked for.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';

type Ports = Record<string, { HostIp: string; HostPort: string }[] | null>;

/** "80/tcp" keys in port then protocol order (docker's map has none; its newer CLIs sort). */
function byPort(a: string, b: string): number {
  const [pa, qa] = a.split('/');
  const [pb, qb] = b.split('/');
  return Number(pa) - Number(pb) || (qa ?? '').localeCompare(qb ?? '');
}

export function portLines(ports: Ports, container: string, privatePort?: string): string[] {
  if (privatePort !== undefined) {
    const [port, proto = 'tcp'] = privatePort.split('/');
    if (!/^\d+$/.test(port!) || Number(port) > 65535)
      throw new Error(`strconv.ParseUint: parsing "${port}": ${/^\d+$/.test(port!) ? 'value out of range' : 'invalid syntax'}`);
    const key = `${Number(port)}/${proto.toLowerCase()}`;
    const fronts = ports[key];
    if (!fronts?.length) throw new Error(`No public port '${key}' published for ${container}`);
    return fronts.map((f) => `${f.HostIp}:${f.HostPort}`);
  }
  return Object.keys(ports)
    .sort(byPort)
    .flatMap((k) => (ports[k] ?? []).map((f) => `${k} -> ${f.HostIp}:${f.HostPort}`));
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container>')
    .argument('[private-port]')
    .action(async (name: string, priv: string | undefined) => {
      const doc = await (await ctx.engine()).containers.inspect(name);
      const lines = portLines(doc.NetworkSettings.Ports as Ports, name, priv);
      if (lines.length) ctx.out(lines.join('\n'));
    });
}
