/**
 * A container's CPU and memory history for the detail view's graphs: a fixed-size ring of the
 * last minutes of stats passes, kept for every sampled container from the dashboard's start, so
 * the graphs are full the moment the view opens. Float32Array storage: 8 bytes a pass, ~4.7 KB
 * per container for ten minutes at one pass a second (2.3 MB for 500 containers), and no garbage
 * per pass. A pass the container missed (not sampled, stopped) is a gap (-1, drawn blank).
 */
import type { GraphHistory } from './detail-tabs.js';

export class StatsRing {
  private readonly cpu: Float32Array;
  private readonly mem: Float32Array;
  private head = 0; // where the next sample goes
  private count = 0;
  /** Pass number of the newest sample (-1: none yet). */
  last = -1;
  memLimit = 0;

  constructor(readonly capacity: number) {
    this.cpu = new Float32Array(capacity);
    this.mem = new Float32Array(capacity);
  }

  private put(cpu: number, mem: number): void {
    this.cpu[this.head] = cpu;
    this.mem[this.head] = mem;
    this.head = (this.head + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** The reading of pass `tick`; passes missed since the last one become gaps. */
  push(tick: number, cpu: number, mem: number, memLimit: number): void {
    if (this.last >= 0) {
      const missed = Math.min(this.capacity, tick - this.last - 1);
      for (let i = 0; i < missed; i++) this.put(-1, -1);
    }
    this.put(cpu, mem);
    this.last = tick;
    this.memLimit = memLimit;
  }

  /** Oldest first, for the graphs; `start` is the pass number of the first sample. */
  graph(): GraphHistory {
    const cpu = new Array<number>(this.count);
    const mem = new Array<number>(this.count);
    const from = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const j = (from + i) % this.capacity;
      cpu[i] = this.cpu[j]!;
      mem[i] = this.mem[j]!;
    }
    return { cpu, mem, memLimit: this.memLimit, start: this.last - this.count + 1 };
  }
}
