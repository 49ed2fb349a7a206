//! Ordered parallel map on scoped threads: the engine evaluates rules and accounts with it,
//! the JSON renderer serializes findings with it.

/// `f` of every item, in the items' order, computed on up to `threads` scoped threads that take
/// the next item as they finish one (items may differ widely in cost). Zero or one thread, or
/// fewer than two items, computes on the calling thread. A panic in `f` reaches the caller.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(out) => out,
                // A panic in `f` is a bug in it: let the caller see the panic.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_the_order_whatever_the_threads() {
        let items: Vec<u64> = (0..1000).collect();
        let expected: Vec<u64> = items.iter().map(|i| i * i).collect();
        for threads in [0, 1, 2, 3, 8, 2000] {
            assert_eq!(
                par_map(&items, threads, |i| i * i),
                expected,
                "{threads} threads"
            );
        }
        assert!(par_map(&[] as &[u8], 4, |_| 0).is_empty());
    }
}
