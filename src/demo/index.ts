// CONTRACT (to be implemented): loads the Xianning demo data (organizations, officers, users) once.
import type { Services } from '../services.js';

export const DEMO_PASSWORD = 'Demo@2026';

export interface DemoLogin {
  username: string;
  role: string;
  org: string;
}

/** Loads the demo data unless organizations already exist; returns whether it loaded. */
export async function loadDemo(services: Services): Promise<boolean> {
  return services.config.demo;
}

export const DEMO_LOGINS: DemoLogin[] = [];
