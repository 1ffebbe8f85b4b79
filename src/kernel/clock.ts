/** The time services read. Tests replace it to run deadlines on chosen days. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at a China calendar day (09:00 China time), movable by tests. */
export class FixedClock implements Clock {
  private t: Date;
  constructor(day: string) {
    this.t = FixedClock.at(day);
  }
  static at(day: string): Date {
    return new Date(`${day}T01:00:00Z`);
  }
  set(day: string): void {
    this.t = FixedClock.at(day);
  }
  now(): Date {
    return new Date(this.t);
  }
}
