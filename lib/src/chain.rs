//! Chain relations. (Being written.)

/// Relations of a presented list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainReport {}

/// How two adjacent certificates relate.
#[derive(Debug, Clone, serde::Serialize)]
pub enum LinkStatus {}
