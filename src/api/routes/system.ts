/** System routes: _ping, version, info, events, system/df, auth; 501 for swarm and friends. */
import type { Route } from '../route.js';
import { sendJson, sendText } from '../reply.js';
import { API_MAX_VERSION, API_MIN_VERSION } from '../server.js';

const ping: Route['handle'] = async ({ req, res }) => {
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Pragma', 'no-cache');
  if (req.method === 'HEAD') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 0 }).end();
    return;
  }
  sendText(res, 200, 'OK');
};

export const routes: Route[] = [
  { method: 'GET', path: '/_ping', handle: ping },
  { method: 'HEAD', path: '/_ping', handle: ping },
  {
    method: 'GET',
    path: '/version',
    handle: async ({ engine, res }) => {
      const [v, info] = await Promise.all([engine.system.version(), engine.system.info()]);
      sendJson(res, 200, {
        Platform: { Name: 'berth' },
        Components: [{ Name: 'Engine', Version: v.version, Details: { ApiVersion: API_MAX_VERSION, MinAPIVersion: API_MIN_VERSION, Os: v.os, Arch: v.arch } }, ...v.components.map((c) => ({ Name: c.name, Version: c.version, Details: {} }))],
        Version: v.version,
        ApiVersion: API_MAX_VERSION,
        MinAPIVersion: API_MIN_VERSION,
        GitCommit: '',
        GoVersion: v.nodeVersion,
        Os: v.os,
        Arch: v.arch,
        KernelVersion: info.kernelVersion,
        BuildTime: '',
      });
    },
  },
];
