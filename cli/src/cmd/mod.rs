//! One module per subcommand.

pub mod fetch;
pub mod mint;
pub mod preflight;
pub mod show;
pub mod verify;
