//! A stream wrapper that keeps the first bytes a server sent, to name what answered when it
//! is not TLS and to read the certificates of a TLS 1.2 server that aborts early.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How many bytes of the server's first flight are kept for diagnosis (plain-text
/// detection, certificates of a TLS 1.2 server that aborts before ServerHelloDone).
const HEAD_LIMIT: usize = 256 * 1024;

/// The first bytes the server sent, kept for diagnosis.
#[derive(Debug, Default)]
pub(super) struct Head {
    pub(super) bytes: Vec<u8>,
}

/// A stream that copies the first [`HEAD_LIMIT`] bytes read into a shared [`Head`].
pub(super) struct Recorder<S> {
    pub(super) inner: S,
    pub(super) head: Arc<Mutex<Head>>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Recorder<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            let new = &buf.filled()[before..];
            let mut head = self.head.lock().unwrap_or_else(PoisonError::into_inner);
            let room = HEAD_LIMIT.saturating_sub(head.bytes.len());
            head.bytes.extend_from_slice(&new[..new.len().min(room)]);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recorder<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
