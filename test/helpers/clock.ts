import type { Clock } from '../../src/context.js'

/** A clock tests move by hand: session timeouts and deadlines without waiting. */
export class TestClock implements Clock {
  private current: number
  constructor(start: Date | string = new Date()) {
    this.current = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.current)
  }
  set(date: Date | string): void {
    this.current = new Date(date).getTime()
  }
  advance(ms: number): void {
    this.current += ms
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000)
  }
}
