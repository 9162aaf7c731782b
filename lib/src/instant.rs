//! Instants as users write them: RFC 3339 (`2030-01-01T00:00:00Z`) or Unix seconds.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{Error, Result};

/// Parses an RFC 3339 timestamp or a number of Unix seconds. `what` names the option in
/// the error (`--at`).
///
/// ```
/// let t = chainscope::instant::parse_instant("1700000000", "--at")?;
/// assert_eq!(t, chainscope::instant::parse_instant("2023-11-14T22:13:20Z", "--at")?);
/// # Ok::<(), chainscope::Error>(())
/// ```
pub fn parse_instant(text: &str, what: &str) -> Result<OffsetDateTime> {
    let trimmed = text.trim();
    if let Ok(secs) = trimmed.parse::<i64>() {
        return OffsetDateTime::from_unix_timestamp(secs).map_err(|_| {
            Error::invalid_argument(
                what,
                format!("{trimmed} is outside the supported range of Unix seconds"),
            )
        });
    }
    OffsetDateTime::parse(trimmed, &Rfc3339).map_err(|_| {
        Error::invalid_argument(
            what,
            format!("'{trimmed}' is neither RFC 3339 (2030-01-01T00:00:00Z) nor Unix seconds"),
        )
    })
}
