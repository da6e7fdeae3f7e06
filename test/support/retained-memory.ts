/**
 * Memory the process holds on to after full collections (a coarse bound for memory specs, never a
 * timing): the JavaScript heap in use plus the buffers outside it. `external` counts every buffer
 * V8 does not hold (ArrayBuffers included); `arrayBuffers` only those.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function retainedMemory(buffers: 'arrayBuffers' | 'external' = 'arrayBuffers', collections = 2): number {
  for (let i = 0; i < collections; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m[buffers];
}
