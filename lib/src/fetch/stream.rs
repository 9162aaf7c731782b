//! The byte stream a capture speaks over, whatever carries it.

use tokio::io::{AsyncRead, AsyncWrite};

/// The byte stream a capture speaks over: the TCP connection to the server, or the tunnel a
/// proxy opened to it.
pub(super) type Stream = Box<dyn Io>;

/// A byte stream [`Stream`] can hold.
pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
