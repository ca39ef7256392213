import { useLayoutEffect, useState } from 'react';

export type RowWindow = { first: number; last: number; totalHeight: number };

// Which rows of a fixed-height list are in view (plus `overscan` either side), from the
// scroll element's position and size. With one row height the answer is arithmetic: no
// per-row measurements to rebuild when a filter changes the row count from 100,000 to 50,000.
// `last` < `first` when there are no rows.
export function useRowWindow(element: HTMLElement | null, count: number, rowHeight: number, overscan: number): RowWindow {
  const [view, setView] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    if (!element) return;
    const update = () =>
      setView((v) => (v.top === element.scrollTop && v.height === element.clientHeight ? v : { top: element.scrollTop, height: element.clientHeight }));
    update();
    element.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [element]);
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  return { first, last, totalHeight: count * rowHeight };
}
