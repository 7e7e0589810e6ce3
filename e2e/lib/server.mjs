// Starts the real tsunagari server binary for a test run.
//
//   const server = await startServer();
//   ... server.url ...            e.g. "http://127.0.0.1:41234"
//   await server.stop();          SIGTERM, wait for exit, remove temp dir
//
// Binary: $TSUNAGARI_BIN, else ../target/debug/tsunagari relative to e2e/.
// Each call gets a fresh temporary directory holding a fresh SQLite database.
// Set E2E_SERVER_LOG=1 to see the server's stderr live.

import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const READY_LINE = /tsunagari listening on (https?:\/\/\S+)/;
const MAX_LOG_CHARS = 64 * 1024;

/** Absolute path of the server binary that the tests run. */
export function serverBinary() {
  const fromEnv = process.env.TSUNAGARI_BIN;
  return fromEnv ? path.resolve(fromEnv) : path.resolve(E2E_DIR, '..', 'target', 'debug', 'tsunagari');
}

/**
 * @param {object} [options]
 * @param {number} [options.timeoutMs=60000]  how long to wait for the ready line
 * @param {Record<string,string>} [options.env]  extra environment for the server
 * @param {string[]} [options.extraArgs]  extra arguments after `serve ...`
 * @returns {Promise<{url: string, databaseUrl: string, dir: string, logs: () => string, stop: () => Promise<{code: number|null, signal: string|null}>}>}
 */
export async function startServer({ timeoutMs = 60_000, env = {}, extraArgs = [] } = {}) {
  const bin = serverBinary();
  try {
    accessSync(bin, fsConstants.X_OK);
  } catch {
    throw new Error(
      `tsunagari binary not found or not executable at ${bin}\n` +
        'Build it with `cargo build --bin tsunagari` or set TSUNAGARI_BIN.',
    );
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-e2e-'));
  const databaseUrl = `sqlite://${dir}/e2e.db`;
  const args = ['serve', '--bind', '127.0.0.1:0', '--database', databaseUrl, ...extraArgs];

  let removed = false;
  const removeDir = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };

  const child = spawn(bin, args, {
    cwd: dir,
    // Bigrams alone unless a test asks: compiling the dictionary per
    // server would slow every file by seconds.
    env: { ...process.env, TSUNAGARI_LOG: 'warn', TSUNAGARI_SEARCH_DICTIONARY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stderr = '';
  let stdout = '';
  const keep = (buf, chunk) => {
    const next = buf + chunk;
    return next.length > MAX_LOG_CHARS ? next.slice(next.length - MAX_LOG_CHARS) : next;
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = keep(stderr, chunk);
    if (process.env.E2E_SERVER_LOG === '1') process.stderr.write(chunk);
  });

  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  // If the test process dies without calling stop(), don't leave the server
  // (or its temp dir) behind.
  const onProcessExit = () => {
    if (exitInfo === null) child.kill('SIGKILL');
    try {
      removeDir();
    } catch {
      /* best effort */
    }
  };
  process.once('exit', onProcessExit);

  const describe = () =>
    `command: ${bin} ${args.join(' ')}\n` +
    `--- server stdout ---\n${stdout || '(empty)'}\n` +
    `--- server stderr ---\n${stderr || '(empty)'}`;

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      const timer = setTimeout(() => {
        reject(new Error(`tsunagari did not print its ready line within ${timeoutMs} ms\n${describe()}`));
      }, timeoutMs);
      let found = false;
      // Keep reading stdout for the whole run so the pipe never fills up.
      lines.on('line', (line) => {
        stdout = keep(stdout, line + '\n');
        if (process.env.E2E_SERVER_LOG === '1') process.stderr.write(`[server stdout] ${line}\n`);
        if (found) return;
        const m = READY_LINE.exec(line);
        if (m) {
          found = true;
          clearTimeout(timer);
          resolve(m[1].replace(/\/+$/, ''));
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not start tsunagari: ${err.message}\n${describe()}`));
      });
      exited.then(({ code, signal }) => {
        if (found) return;
        clearTimeout(timer);
        // Give stderr a moment to drain so the error carries the reason.
        setTimeout(() => {
          reject(new Error(`tsunagari exited (code ${code}, signal ${signal}) before it was ready\n${describe()}`));
        }, 100);
      });
    });
  } catch (err) {
    if (exitInfo === null) {
      child.kill('SIGKILL');
      await exited;
    }
    process.removeListener('exit', onProcessExit);
    removeDir();
    throw err;
  }

  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (exitInfo === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => {
          if (exitInfo === null) {
            process.stderr.write('tsunagari did not exit within 10 s of SIGTERM; sending SIGKILL\n');
            child.kill('SIGKILL');
          }
        }, 10_000);
        await exited;
        clearTimeout(killer);
      }
      process.removeListener('exit', onProcessExit);
      removeDir();
      return exitInfo;
    })();
    return stopping;
  };

  return { url, databaseUrl, dir, logs: () => stderr, stop };
}
