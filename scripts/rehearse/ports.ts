/**
 * Loopback ports for the rehearsal's listeners and tasks: free when asked for, and never handed out
 * twice by this process, so two tasks started at the same moment (several strategies, or several
 * rehearsals side by side in a test) never race for the same port.
 */
import { freePort } from '../bench/free-port';

const handedOut = new Set<number>();

export async function uniquePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
