import { useState, useEffect } from 'react';
import { useSearchParams } from 'react-router';

export function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Matches a media query, live. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}

/**
 * A list's filters, kept in the URL's query string (replaced, so Back leaves the list), with its
 * search box: `search` as typed, `debouncedSearch` for the query.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const [search, setSearchText] = useState(params.get('search') ?? '');
  const debouncedSearch = useDebounced(search.trim(), 250);
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return {
    params,
    setParam,
    search,
    debouncedSearch,
    setSearch(text: string) {
      setSearchText(text);
      setParam('search', text);
    },
    clear() {
      setSearchText('');
      setParams(new URLSearchParams(), { replace: true });
    },
  };
}
