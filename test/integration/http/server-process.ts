/**
 * Spawns the HTTP service as a real process and reads its port from the "listening" log line:
 * the TypeScript entry under tsx when the tests run from source, the built one from dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/paths.js';

export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The command that starts composition/http-server (before its own flags). */
export function serverCommand(): string[] {
  return FROM_SOURCE
    ? [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'composition', 'http-server.ts')]
    : [process.execPath, join(REPO_ROOT, 'dist', 'composition', 'http-server.js')];
}

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything written so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** Resolves with the port once the "listening" line is out; rejects if the process exits first. */
  readonly listening: Promise<number>;
  /** Resolves once a log line with this msg is out. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): void;
}

export function spawnServer(command: readonly string[], env: Record<string, string>, cwd: string = REPO_ROOT): ServerProcess {
  const [exe, ...args] = command as [string, ...string[]];
  const child = spawn(exe, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const lines = (): Record<string, unknown>[] =>
    out.split('\n').filter((l) => l.startsWith('{')).map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) {
      const hit = lines().find((l) => l.msg === w.msg);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const waitForLog = (msg: string, timeoutMs = 20_000): Promise<Record<string, unknown>> => {
    const hit = lines().find((l) => l.msg === msg);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${msg}" log line within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
      waiters.push({ msg, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before "${msg}"\nstdout:\n${out}\nstderr:\n${err}`));
      });
    });
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    listening: waitForLog('listening').then((l) => l.port as number),
    waitForLog,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
