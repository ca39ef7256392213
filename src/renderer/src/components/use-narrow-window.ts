import { useEffect, useState } from 'react';

// The width below which the menu folds away: at 900 px a 220 px menu leaves the tables too little.
const NARROW = '(max-width: 1000px)';

export function useNarrowWindow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const update = () => setNarrow(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}
