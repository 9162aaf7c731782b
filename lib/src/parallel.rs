//! The one way chainscope spreads CPU-bound work over cores: contiguous parts of a list on
//! scoped threads, results concatenated in order.

/// Runs `work` on contiguous parts of `0..len` — on all cores when there are enough items
/// to pay for the threads — and concatenates the parts' results in order. Signature
/// checks make decoding and chain analysis CPU-bound; a trust-store bundle has thousands
/// of certificates.
pub(crate) fn in_parallel<T: Send>(
    len: usize,
    work: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(len / 64)
        .max(1);
    if threads == 1 {
        return work(0..len);
    }
    let per_thread = len.div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..len)
            .step_by(per_thread)
            .map(|start| scope.spawn(move || work(start..(start + per_thread).min(len))))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(part) => part,
                // A panic in a worker is a bug: let it surface as it would have unthreaded.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_in_order_whatever_the_split() {
        for len in [0, 1, 63, 64, 1000, 4097] {
            let out = in_parallel(len, |range| range.collect());
            assert_eq!(out, (0..len).collect::<Vec<_>>(), "len {len}");
        }
    }
}
