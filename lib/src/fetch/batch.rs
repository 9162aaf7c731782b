//! Many targets in one run: bounded concurrency, results delivered as each capture
//! finishes, input consumed lazily — memory stays flat however long the list.

use std::ops::ControlFlow;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::{fetch, FetchError, FetchOptions, Phase, PresentedChain, Target};

/// The outcome for one target of a batch.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchResult {
    /// 0-based position of the target in the input.
    pub index: usize,
    /// The target as written.
    pub input: String,
    /// The capture, or why it failed.
    pub result: Result<PresentedChain, FetchError>,
}

/// Captures from every target of `inputs` (as [`Target::parse`] reads them), at most
/// `concurrency` at a time, calling `on_result` as each finishes (not in input order).
/// `on_result` returns [`ControlFlow::Break`] to stop early (a closed output pipe).
///
/// `inputs` is read lazily on a task of its own, a few targets ahead of the captures.
///
/// Needs a tokio runtime, as [`fetch`] does (timers are not needed). Outside one, every
/// target is reported as failed with [`FetchError::Runtime`].
pub async fn fetch_many<I, F>(
    inputs: I,
    options: &FetchOptions,
    concurrency: usize,
    mut on_result: F,
) where
    I: IntoIterator<Item = String>,
    I::IntoIter: Send + 'static,
    F: FnMut(BatchResult) -> ControlFlow<()>,
{
    if tokio::runtime::Handle::try_current().is_err() {
        for (index, input) in inputs.into_iter().enumerate() {
            let result = Err(FetchError::Runtime {
                target: input.clone(),
                reason: "fetch_many must be awaited inside a tokio runtime (use \
                         fetch_many_blocking without one)"
                    .into(),
            });
            if on_result(BatchResult {
                index,
                input,
                result,
            })
            .is_break()
            {
                break;
            }
        }
        return;
    }
    let concurrency = concurrency.max(1);
    let (tx, rx) = mpsc::channel(concurrency);
    let iter = inputs.into_iter();
    let feeder = tokio::task::spawn_blocking(move || {
        for item in iter {
            if tx.blocking_send(item).is_err() {
                break;
            }
        }
    });
    drive(rx, options, concurrency, on_result).await;
    feeder.abort();
}

/// [`fetch_many`] on a multi-threaded tokio runtime of its own. Called from inside a tokio
/// runtime it returns [`FetchError::Runtime`] instead of blocking: await [`fetch_many`].
pub fn fetch_many_blocking<I, F>(
    inputs: I,
    options: &FetchOptions,
    concurrency: usize,
    on_result: F,
) -> Result<(), FetchError>
where
    I: IntoIterator<Item = String>,
    I::IntoIter: Send + 'static,
    F: FnMut(BatchResult) -> ControlFlow<()>,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(FetchError::Runtime {
            target: "batch".into(),
            reason: "fetch_many_blocking was called inside a tokio runtime, which cannot \
                     block on another: await fetch_many instead"
                .into(),
        });
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| FetchError::Io {
            target: "batch".into(),
            phase: Phase::Connect,
            source,
        })?;
    runtime.block_on(fetch_many(inputs, options, concurrency, on_result));
    // A feeder blocked on a slow stdin must not keep the process alive.
    runtime.shutdown_background();
    Ok(())
}

async fn drive<F>(
    mut rx: mpsc::Receiver<String>,
    options: &FetchOptions,
    concurrency: usize,
    mut on_result: F,
) where
    F: FnMut(BatchResult) -> ControlFlow<()>,
{
    let options = Arc::new(options.clone());
    let mut running: JoinSet<BatchResult> = JoinSet::new();
    let mut index = 0usize;
    let mut input_done = false;
    loop {
        while !input_done && running.len() < concurrency {
            match rx.recv().await {
                Some(input) => {
                    let options = options.clone();
                    let i = index;
                    index += 1;
                    running.spawn(async move {
                        let result = match Target::parse(&input) {
                            Ok(target) => fetch(&target, &options).await,
                            Err(e) => Err(e),
                        };
                        BatchResult {
                            index: i,
                            input,
                            result,
                        }
                    });
                }
                None => input_done = true,
            }
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let result = match joined {
            Ok(r) => r,
            // A capture task cannot panic by design; if one did, skip it rather than abort.
            Err(_) => continue,
        };
        if on_result(result).is_break() {
            running.abort_all();
            break;
        }
    }
}
