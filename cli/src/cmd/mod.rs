//! One module per subcommand.

pub mod check;
pub mod completions;
pub mod exporter;
pub mod fetch;
pub mod man;
pub mod mint;
pub mod preflight;
pub mod show;
pub mod verify;
