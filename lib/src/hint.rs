//! Hints: which input or parameter a fix or an error is about, as a typed value
//! ([`Hint`]).

use std::fmt;

macro_rules! hints {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, )*) => {
        /// The input, parameter or action a fix or an error points at.
        ///
        /// The library's messages and fixes name parameters and concepts ("the untrusted
        /// intermediates", "the maximum depth"), never a command-line flag. Where a fix
        /// tells the caller to act on one of the inputs, it also carries a `Hint` naming
        /// that input, so a front end can point at its own option: the `chainscope`
        /// command line renders [`Hint::Untrusted`] as its untrusted-intermediates flag, a GUI
        /// could highlight a field. Serialized as its snake_case name (`max_depth`).
        ///
        /// Found in the `hint` of a [`Finding`](crate::verify::Finding), and
        /// of a [`Check`](crate::Check) and the errors' `hint()` methods
        /// ([`Error::hint`](crate::Error::hint)).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum Hint {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Hint {
            /// Every hint, in declaration order.
            pub const ALL: &'static [Hint] = &[$(Hint::$variant),*];

            /// The stable snake_case name (`max_depth`), as JSON spells it.
            pub const fn as_str(self) -> &'static str {
                match self { $(Hint::$variant => $name,)* }
            }
        }
    };
}

hints! {
    // --- verification inputs ---
    /// The trust anchors ([`TrustStore`](crate::TrustStore)): add the root there.
    Roots = "roots",
    /// Intermediates the server does not send, supplied to build the path with
    /// ([`VerifyOptions::untrusted`](crate::verify::VerifyOptions::untrusted), or downloaded
    /// from AIA URLs into [`VerifyOptions::aia`](crate::verify::VerifyOptions::aia)).
    Untrusted = "untrusted",
    /// The name the certificate must be valid for
    /// ([`VerifyOptions::host`](crate::verify::VerifyOptions::host), preflight's hosts).
    Host = "host",
    /// The validation time ([`VerifyOptions::at`](crate::verify::VerifyOptions::at)).
    At = "at",
    /// The required purposes ([`VerifyOptions::purposes`](crate::verify::VerifyOptions::purposes)).
    Purpose = "purpose",
    /// The most intermediates a path may hold
    /// ([`VerifyOptions::max_depth`](crate::verify::VerifyOptions::max_depth)).
    MaxDepth = "max_depth",
    /// The CRLs checked against ([`VerifyOptions::crls`](crate::verify::VerifyOptions::crls)).
    Crl = "crl",
    /// How strict the verdict is ([`VerifyOptions::profile`](crate::verify::VerifyOptions::profile)).
    Profile = "profile",

    // --- preflight inputs ---
    /// The certificate file a preflight checks (`PreflightOptions::cert`).
    Cert = "cert",
    /// The private key file a preflight checks (`PreflightOptions::key`).
    Key = "key",
    /// The live server a preflight connects to (`PreflightOptions::connect`).
    Connect = "connect",
    /// Check the private key against the certificate with a preflight (`key_matches_leaf`):
    /// the server's key is not proven otherwise.
    CheckKey = "check_key",

    // --- capture options (`FetchOptions`) ---
    /// The SNI name sent (`FetchOptions::sni`).
    Sni = "sni",
    /// The address dialled instead of the target's (`FetchOptions::connect_to`).
    ConnectTo = "connect_to",
    /// The lowest TLS version offered (`FetchOptions::min_tls`).
    MinTls = "min_tls",
    /// The highest TLS version offered (`FetchOptions::max_tls`).
    MaxTls = "max_tls",
    /// The overall capture timeout (`FetchOptions::timeout`).
    Timeout = "timeout",
    /// The limit for DNS, TCP connect and proxy (`FetchOptions::connect_timeout`).
    ConnectTimeout = "connect_timeout",
    /// The limit for STARTTLS and the TLS handshake (`FetchOptions::handshake_timeout`).
    HandshakeTimeout = "handshake_timeout",
    /// The HTTP CONNECT proxy (`FetchOptions::proxy`).
    Proxy = "proxy",
    /// Upgrade a plain-text protocol with STARTTLS before TLS (`FetchOptions::starttls`).
    Starttls = "starttls",

    // --- minting parameters ---
    /// Replace existing files, or write where it is refused otherwise (`force`).
    Force = "force",
    /// The names of a certificate: DNS names, IP addresses, email addresses, URIs.
    Names = "names",
    /// The directory written to: give the set a directory of its own.
    Out = "out",
    /// The issuing CA, as a directory (`Issuer::load_dir`) or as certificate and key files
    /// (`Issuer::load_files`).
    Ca = "ca",
    /// The intermediate's pathLenConstraint.
    PathLen = "path_len",
    /// Reissue for the key of the set being renewed (`RenewParams::reuse_key`).
    ReuseKey = "reuse_key",
    /// Encrypt the private key written (`WriteOptions::passphrase`).
    EncryptKey = "encrypt_key",
    /// How long a certificate is valid.
    Days = "days",
    /// When validity starts.
    NotBefore = "not_before",
    /// The names a CA allows below it (mint's `NameConstraints`: permitted and excluded
    /// DNS subtrees and IP networks).
    NameConstraints = "name_constraints",

    // --- reissuing a server certificate ---
    /// Issue a new leaf certificate (for an internal CA).
    MintLeaf = "mint_leaf",
    /// Reissue the leaf with every name clients use as subjectAltName.
    MintLeafNames = "mint_leaf_names",
    /// Reissue the leaf with the serverAuth extended key usage.
    MintLeafServer = "mint_leaf_server",
    /// Reissue the leaf with an ECDSA P-256 (or RSA 2048+) key.
    MintLeafKeyType = "mint_leaf_key_type",
    /// Reissue the leaf with a shorter validity.
    MintLeafDays = "mint_leaf_days",
}

impl Hint {
    /// Looks a hint up by its stable name.
    pub fn from_name(name: &str) -> Option<Hint> {
        Hint::ALL.iter().copied().find(|h| h.as_str() == name)
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_match_serde() {
        let mut seen = std::collections::HashSet::new();
        for &h in Hint::ALL {
            assert!(seen.insert(h.as_str()), "{h} twice");
            assert_eq!(serde_json::to_string(&h).unwrap(), format!("\"{h}\""));
            assert_eq!(
                serde_json::from_str::<Hint>(&format!("\"{h}\"")).unwrap(),
                h
            );
            assert_eq!(Hint::from_name(h.as_str()), Some(h));
        }
        assert_eq!(Hint::from_name("no_such_hint"), None);
    }
}
