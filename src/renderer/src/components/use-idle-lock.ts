import { useEffect } from 'react';
import { call } from '../api/client';
import { useSession } from '../stores/session-store';

// Someone using the window keeps it from locking: keys and pointer are reported to main at
// most every REPORT_MS. Main decides when it is locked; asking every CHECK_MS shows the lock
// screen even when nothing else calls main meanwhile.
const REPORT_MS = 20_000;
const CHECK_MS = 15_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export function useIdleLock() {
  useEffect(() => {
    let lastReport = 0;
    const report = () => {
      const at = Date.now();
      if (at - lastReport < REPORT_MS || useSession.getState().locked) return;
      lastReport = at;
      void call('session:activity', {});
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, report, { passive: true, capture: true });
    const timer = setInterval(() => void useSession.getState().checkLock().catch(() => undefined), CHECK_MS);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, report, { capture: true });
      clearInterval(timer);
    };
  }, []);
}
