/**
 * The file browser against the fake engine: a container's tree through exec + the archive API,
 * text view, binary refusal, large files in pages, copy out and in; a volume's mountpoint on
 * this machine; the refusal of a stopped container.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { FILE_PAGE } from '../../src/screens/files-screen.js';
import { parseLs } from '../../src/screens/files-source.js';
import { looksBinary } from '../../src/screens/files-text.js';
import { EmbeddedEngine } from '../../src/engine/embedded.js';
import { NEEDS_ROOT } from '../helpers/tools.js';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(() => {
  h?.unmount();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'berth-files-'));
  dirs.push(d);
  return d;
};
const type = async (text: string) => {
  for (const ch of text) await h!.press(ch);
};

function engineWithFiles(): FakeEngine {
  const e = new FakeEngine();
  e.setFiles('db', {
    '/etc/hostname': 'db-host\n',
    '/etc/app/conf.ini': '[main]\nport=5432\n',
    '/bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]),
    '/var/log/big.log': Array.from({ length: 40_000 }, (_, i) => `line ${String(i).padStart(5, '0')} ${'y'.repeat(4)}`).join('\n'),
  });
  return e;
}

describe('files', () => {
  test('ls output and binary detection', () => {
    assert.deepEqual(parseLs('b\na/\n.hidden\nz/\n'), [
      { name: 'a', dir: true },
      { name: 'z', dir: true },
      { name: '.hidden', dir: false },
      { name: 'b', dir: false },
    ]);
    assert.equal(looksBinary(Buffer.from('hello\n')), false);
    assert.equal(looksBinary(Buffer.from([0x7f, 0x45, 0, 1])), true);
  });

  test('F browses a container: enter opens directories and text files, binaries are refused, ← goes up', async () => {
    h = await renderDashboard({ engine: engineWithFiles(), columns: 80, rows: 24 });
    await h.press('F'); // db
    await h.waitFor('root', (f) => /db:\/\s+3 entries/.test(f) && /bin\//.test(f) && /etc\//.test(f) && /var\//.test(f));
    await h.press('j', KEY.enter);
    await h.waitFor('/etc', (f) => /db:\/etc\s+2 entries/.test(f) && /app\//.test(f) && /hostname/.test(f));
    await h.press('j', KEY.enter);
    await h.waitFor('view', (f) => /db:\/etc\/hostname\s+8B/.test(f) && /^db-host/m.test(f));
    await h.press(KEY.esc, '\u001B[D'); // back to the listing, then up
    await h.waitFor('up', (f) => /db:\/\s+3 entries/.test(f) && /› etc\//.test(f));
    await h.press('k', KEY.enter);
    await h.waitFor('/bin', (f) => /tool/.test(f));
    await h.press(KEY.enter);
    await h.waitFor('binary refused', (f) => /\/bin\/tool is a binary file \(8B\): not shown/.test(f));
  });

  test('a large file is read a page at a time with [ and ]', async () => {
    h = await renderDashboard({ engine: engineWithFiles(), columns: 80, rows: 24 });
    await h.press('F');
    await h.waitFor('root', (f) => /db:\/\s+3 entries/.test(f));
    await h.press('G', KEY.enter); // var
    await h.waitFor('/var', (f) => /log\//.test(f));
    await h.press(KEY.enter);
    await h.waitFor('/var/log', (f) => /big\.log/.test(f));
    await h.press(KEY.enter);
    const pages = Math.ceil((40_000 * 16 - 1) / FILE_PAGE);
    await h.waitFor('page 1', (f) => new RegExp(`page 1/${pages}`).test(f) && /^line 00000/m.test(f));
    await h.press(']');
    await h.waitFor('page 2', (f) => new RegExp(`page 2/${pages}`).test(f) && !/^line 00000/m.test(f));
    await h.press('[');
    await h.waitFor('page 1 again', (f) => /page 1\//.test(f) && /^line 00000/m.test(f));
  });

  test('o copies a file and a directory out, i copies a host file in', async () => {
    const out = tmp();
    const engine = engineWithFiles();
    h = await renderDashboard({ engine, columns: 200, rows: 24 });
    await h.press('F');
    await h.waitFor('root', (f) => /db:\/\s+3 entries/.test(f));
    await h.press('j', KEY.enter); // /etc
    await h.waitFor('/etc', (f) => /hostname/.test(f));
    await h.press('j', 'o');
    await h.waitFor('prompt', (f) => /copy \/etc\/hostname to/.test(f));
    await type(join(out, 'hn.txt'));
    await h.press(KEY.enter);
    await h.waitFor('copied', (f) => /copied \/etc\/hostname to .*hn\.txt/.test(f));
    assert.ok(h.frame().includes(`$ berth cp db:/etc/hostname ${join(out, 'hn.txt')}`), h.frame());
    assert.equal(readFileSync(join(out, 'hn.txt'), 'utf8'), 'db-host\n');
    await h.press('k', 'o'); // the app directory, into an existing directory
    await type(out);
    await h.press(KEY.enter);
    await h.waitFor('dir copied', (f) => /copied \/etc\/app to/.test(f));
    assert.equal(readFileSync(join(out, 'app', 'conf.ini'), 'utf8'), '[main]\nport=5432\n');
    // A destination whose directory is missing: refused, nothing written.
    await h.press('o');
    await type(join(out, 'missing', 'x'));
    await h.press(KEY.enter);
    await h.waitFor('refused', (f) => /copy out: no such directory/.test(f));
    assert.ok(!existsSync(join(out, 'missing')));
    // In: a host file lands in the directory on screen and the listing shows it.
    writeFileSync(join(out, 'new.conf'), 'fresh\n');
    await h.press('i');
    await h.waitFor('in prompt', (f) => /copy into \/etc from/.test(f));
    await type(join(out, 'new.conf'));
    await h.press(KEY.enter);
    await h.waitFor('copied in', (f) => /copied .*new\.conf to \/etc\/new\.conf/.test(f) && /new\.conf/.test(f));
    assert.ok(h.frame().includes(`$ berth cp ${join(out, 'new.conf')} db:/etc`), h.frame());
    // A directory in: its tree lands under the directory on screen, and lists there.
    mkdirSync(join(out, 'site', 'img'), { recursive: true });
    writeFileSync(join(out, 'site', 'index.html'), '<p>hi</p>\n');
    writeFileSync(join(out, 'site', 'img', 'logo.svg'), '<svg/>\n');
    await h.press('i');
    await type(join(out, 'site'));
    await h.press(KEY.enter);
    await h.waitFor('dir copied in', (f) => /copied .*site to \/etc\/site/.test(f) && /^\S?\s*site\//m.test(f));
    const tree = engine.dashBFiles.get([...engine.containersById.values()].find((c) => c.name === 'db')!.id)!;
    assert.equal(String(tree.get('/etc/site/index.html')), '<p>hi</p>\n');
    assert.equal(String(tree.get('/etc/site/img/logo.svg')), '<svg/>\n');
    assert.equal(String(engine.dashBFiles.get([...engine.containersById.values()].find((c) => c.name === 'db')!.id)!.get('/etc/new.conf')), 'fresh\n');
  });

  test('a stopped container is refused; a volume on this machine is browsed at its mountpoint', async () => {
    const engine = new FakeEngine();
    const mp = tmp();
    mkdirSync(join(mp, 'sub'));
    writeFileSync(join(mp, 'sub', 'note.txt'), 'in the volume\n');
    engine.volumesByName.get('data')!.mountpoint = mp;
    h = await renderDashboard({ engine, columns: 80, rows: 24 });
    await h.press('j', 'F'); // old-job (exited)
    await h.waitFor('refused', (f) => /old-job is not running/.test(f));
    await h.press('4', 'j', 'F'); // volumes sorted: cache, data
    await h.waitFor('volume', (f) => /volume data:\/\s+1 entries/.test(f) && /sub\//.test(f));
    await h.press(KEY.enter);
    await h.waitFor('sub', (f) => /volume data:\/sub\s+1 entries/.test(f));
    await h.press(KEY.enter);
    await h.waitFor('file', (f) => /in the volume/.test(f));
    // A host whose API has no file access to volumes (the fake, as Docker's): the copy keys say
    // why at once, and ask for no path.
    await h.press(KEY.esc, 'o');
    await h.waitFor('no copy out', (f) => /volume data: this host's API has no file access to volumes/.test(f));
    assert.doesNotMatch(h.frame(), /copy \/sub\/note\.txt to/);
    await h.press('\u001B[D'); // up to /: the note goes
    await h.waitFor('up', (f) => /volume data:\/\s+1 entries/.test(f) && !/no file access/.test(f));
    await h.press('i');
    await h.waitFor('no copy in', (f) => /volume data: this host's API has no file access to volumes/.test(f));
    assert.doesNotMatch(h.frame(), /copy into/);
    assert.deepEqual(readdirSync(join(mp, 'sub')), ['note.txt']);
    await h.press(KEY.esc, KEY.esc, 'k', 'F'); // cache: its mountpoint is not on this machine
    await h.waitFor('not here', (f) => /volume cache: its mountpoint \/var\/lib\/berth\/volumes\/cache\/_data is not o/.test(f));
  });

  test('an engine that lists directories itself: modes, sizes, times and link targets; a stopped container is browsed too', async () => {
    const engine = engineWithFiles();
    const job = [...engine.containersById.values()].find((c) => c.name === 'old-job')!;
    const asked: string[] = [];
    const at = '2026-12-01T10:20:00.000Z';
    engine.containers.listDir = async (id, path) => {
      asked.push(`${id === job.id ? 'old-job' : id} ${path}`);
      if (path === '/')
        return [
          { name: 'bin', type: 'symlink', mode: 0o120777, size: 7, mtime: at, linkTarget: 'usr/bin', targetIsDir: true },
          { name: 'etc', type: 'dir', mode: 0o40755, size: 4096, mtime: at, linkTarget: '', targetIsDir: false },
          { name: 'app', type: 'file', mode: 0o104755, size: 1_500_000, mtime: at, linkTarget: '', targetIsDir: false },
          { name: 'gone', type: 'symlink', mode: 0o120777, size: 9, mtime: at, linkTarget: '/missing', targetIsDir: false },
        ];
      if (path === '/bin') return [{ name: 'tool', type: 'file', mode: 0o100755, size: 8, mtime: at, linkTarget: '', targetIsDir: false }];
      throw new Error(`unexpected ${path}`);
    };
    h = await renderDashboard({ engine, columns: 100, rows: 24 });
    await h.press('j', 'F'); // old-job: exited, and listed all the same
    await h.waitFor('root', (f) => /old-job:\/\s+4 entries/.test(f));
    const f = h.frame();
    assert.match(f, /lrwxrwxrwx\s+7B\s+2026-12-01 10:20\s+bin -> usr\/bin\//);
    assert.match(f, /drwxr-xr-x\s+2026-12-01 10:20\s+etc\//);
    assert.match(f, /-rwsr-xr-x\s+1\.5MB\s+2026-12-01 10:20\s+app\n/);
    assert.match(f, /lrwxrwxrwx\s+9B\s+2026-12-01 10:20\s+gone -> \/missing\n/);
    // directories (and links to them) first
    assert.ok(f.indexOf('bin ->') < f.indexOf('etc/') && f.indexOf('etc/') < f.indexOf(' app'), f);
    await h.press(KEY.enter); // bin, a link to a directory
    await h.waitFor('/bin', (f) => /old-job:\/bin\s+1 entries/.test(f) && /-rwxr-xr-x\s+8B .* tool/.test(f));
    assert.deepEqual(asked, ['old-job /', 'old-job /bin']);
    assert.equal(engine.callsTo('containers.exec').length, 0, 'nothing ran in the container');
  });

  test('a host that lists with ls in the container, on an image without ls: the browser says why', async () => {
    const engine = engineWithFiles();
    const exec = engine.containers.exec;
    engine.containers.exec = async (id, opts, io) => (opts.cmd[0] === 'ls' ? 127 : exec(id, opts, io));
    h = await renderDashboard({ engine, columns: 120, rows: 24 });
    await h.press('F');
    await h.waitFor('why', (f) => /the image has no ls, and this host lists a directory only by running ls in the container \(o still copies out\)/.test(f));
  });
  test("a volume of the embedded engine: its links resolve inside it, copies out and in go through the engine's archive API", async () => {
    if (NEEDS_ROOT) throw new Error(NEEDS_ROOT);
    // A real volume (only a directory in a state root of its own), shown through the fake's list.
    const state = tmp();
    const real = new EmbeddedEngine({ root: join(state, 'root'), runRoot: join(state, 'run') });
    const unique = `berth-files-${randomBytes(6).toString('hex')}`;
    try {
      const vol = (await real.volumes.create({ name: 'data' })).mountpoint;
      mkdirSync(join(vol, 'etc'));
      writeFileSync(join(vol, 'etc', 'conf'), 'inside the volume\n');
      mkdirSync(join(vol, 'app'));
      symlinkSync('/etc', join(vol, 'app', 'link'));
      const engine = new FakeEngine();
      engine.volumesByName.get('data')!.mountpoint = vol;
      const used: string[] = [];
      engine.volumes.listDir = (n, p) => (used.push(`listDir ${p}`), real.volumes.listDir(n, p));
      engine.volumes.stat = (n, p) => (used.push(`stat ${p}`), real.volumes.stat(n, p));
      engine.volumes.copyFrom = (n, p) => (used.push(`copyFrom ${p}`), real.volumes.copyFrom(n, p));
      engine.volumes.copyTo = (n, p, t, o) => (used.push(`copyTo ${p}`), real.volumes.copyTo(n, p, t, o));
      h = await renderDashboard({ engine, columns: 160, rows: 24 });
      await h.press('4', 'j', 'F');
      await h.waitFor('volume', (f) => /volume data:\/\s+2 entries/.test(f) && /app\//.test(f) && /etc\//.test(f));
      await h.press(KEY.enter); // app
      await h.waitFor('app', (f) => /volume data:\/app\s+1 entries/.test(f) && /link -> \/etc\//.test(f));
      await h.press(KEY.enter); // the link: the volume's etc, not the host's
      await h.waitFor('through the link', (f) => /volume data:\/app\/link\s+1 entries/.test(f) && /conf/.test(f));
      assert.doesNotMatch(h.frame(), /passwd/);
      await h.press(KEY.enter);
      await h.waitFor('view', (f) => /inside the volume/.test(f));
      // out: the file behind the link
      const out = tmp();
      await h.press(KEY.esc, 'o');
      await h.waitFor('prompt', (f) => /copy \/app\/link\/conf to/.test(f));
      await type(join(out, 'conf.txt'));
      await h.press(KEY.enter);
      await h.waitFor('copied out', (f) => /copied \/app\/link\/conf to .*conf\.txt/.test(f));
      assert.equal(readFileSync(join(out, 'conf.txt'), 'utf8'), 'inside the volume\n');
      assert.doesNotMatch(h.frame(), /\$ berth cp/); // no cp line: berth cp does not take volumes
      // in: through the link, into the volume's etc; the host's /etc never sees it
      mkdirSync(join(out, unique));
      writeFileSync(join(out, unique, 'new.conf'), 'fresh\n');
      await h.press('i');
      await h.waitFor('in prompt', (f) => /copy into \/app\/link from/.test(f));
      await type(join(out, unique));
      await h.press(KEY.enter);
      await h.waitFor('copied in', (f) => new RegExp(`copied .*${unique} to /app/link/${unique}`).test(f) && new RegExp(`${unique}/`).test(f));
      assert.equal(readFileSync(join(vol, 'etc', unique, 'new.conf'), 'utf8'), 'fresh\n');
      assert.ok(!existsSync(join('/etc', unique)), 'nothing in the host /etc');
      assert.equal(readlinkSync(join(vol, 'app', 'link')), '/etc');
      assert.ok(used.includes('copyFrom /app/link/conf') && used.includes('copyTo /app/link'), used.join(', '));
      // a path missing on this machine: refused, nothing written
      await h.press('i');
      await type(join(out, 'missing'));
      await h.press(KEY.enter);
      await h.waitFor('refused', (f) => /copy in: could not find the file .*missing on the host/.test(f));
      assert.deepEqual(readdirSync(join(vol, 'etc')).sort(), ['conf', unique].sort());
    } finally {
      rmSync(join('/etc', unique), { recursive: true, force: true });
      await real.close();
    }
  });
});
