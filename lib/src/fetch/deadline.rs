//! Bounding a future in time without tokio's timer driver: a capture must not panic on a
//! runtime built without `enable_time`. The delay is `futures-timer`'s, which runs on a
//! helper thread of its own and works under any executor.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

/// The bound passed before the future completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Elapsed;

/// Runs `fut` for at most `limit`.
pub(super) async fn within<F: Future>(limit: Duration, fut: F) -> Result<F::Output, Elapsed> {
    let mut fut = pin!(fut);
    let mut delay = futures_timer::Delay::new(limit);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(value) = fut.as_mut().poll(cx) {
            return Poll::Ready(Ok(value));
        }
        match std::pin::Pin::new(&mut delay).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_a_future_on_a_runtime_without_timers() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let pending = std::future::pending::<()>();
        assert_eq!(
            rt.block_on(within(Duration::from_millis(20), pending)),
            Err(Elapsed)
        );
        assert_eq!(
            rt.block_on(within(Duration::from_secs(5), async { 7 })),
            Ok(7)
        );
    }
}
