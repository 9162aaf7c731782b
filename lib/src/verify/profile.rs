//! The verification profiles: how strict the verdict is.

use crate::error::{Error, Result};

/// How strict the verdict is. webpki is the floor; each profile only adds rejections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Profile {
    /// Exactly rustls-webpki's verdict: what a rustls client decides (plus a revocation
    /// listed in a CRL webpki does not consult: see [`Crl`](super::Crl)).
    Webpki,
    /// webpki's verdict plus what mainstream client families reject although webpki
    /// tolerates it (expired root, CA without keyCertSign, unusably weak leaf key).
    #[default]
    Clients,
    /// Also RFC 5280 and CA/B Forum Baseline Requirements violations.
    Rfc5280,
}

impl Profile {
    /// Parses `webpki`, `clients`, `rfc5280` or `strict`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "webpki" => Ok(Profile::Webpki),
            "clients" => Ok(Profile::Clients),
            "rfc5280" | "strict" => Ok(Profile::Rfc5280),
            other => Err(Error::invalid_argument(
                crate::Hint::Profile.as_str(),
                format!("unknown profile '{other}' (expected webpki, clients or rfc5280)"),
            )),
        }
    }

    /// The profile's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Webpki => "webpki",
            Profile::Clients => "clients",
            Profile::Rfc5280 => "rfc5280",
        }
    }
}
