//! The byte-level encodings every other module shares: hex, digests, base64, PEM and DER
//! framing. One implementation of each, so `show`, `verify` and `fetch` print the same
//! bytes the same way.
//!
//! PEM is read through `rustls-pki-types` (in `load`) and written through the `der` crate's
//! RFC 7468 encoder here; DER is framed by `der`, never by hand.

use base64::Engine as _;
use rustls_pki_types::CertificateDer;

/// Lower-case hex of `bytes`, two digits per byte, joined with `sep`.
pub(crate) fn hex(bytes: &[u8], sep: &str) -> String {
    hex_with(bytes, sep, b"0123456789abcdef")
}

/// Upper-case hex of `bytes`, two digits per byte, joined with `sep` — the form OpenSSL
/// prints fingerprints, serials and key identifiers in.
pub(crate) fn hex_upper(bytes: &[u8], sep: &str) -> String {
    hex_with(bytes, sep, b"0123456789ABCDEF")
}

fn hex_with(bytes: &[u8], sep: &str, digits: &[u8; 16]) -> String {
    let mut out = String::with_capacity(bytes.len() * (2 + sep.len()));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        // A table lookup, not `format!`: hex rendering of fingerprints, key identifiers and
        // unknown extensions is a measurable share of decoding a large bundle.
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0f)]));
    }
    out
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// SHA-1 of `data` (fingerprints only: tools and people still quote them).
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, data);
    let mut out = [0u8; 20];
    out.copy_from_slice(digest.as_ref());
    out
}

/// The SHA-256 fingerprint of `data` as `show`, `verify` and OpenSSL print it: upper-case
/// hex, colon separated.
pub(crate) fn sha256_fingerprint(data: &[u8]) -> String {
    hex_upper(&sha256(data), ":")
}

/// Standard base64 (RFC 4648 §4, padded), on one line.
pub(crate) fn base64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// One PEM block (RFC 7468: 64-column base64, LF line endings), ending in a newline.
// Written by captures (`fetch`) and minted sets (`mint`) only.
#[cfg_attr(not(any(feature = "fetch", feature = "mint")), allow(dead_code))]
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    // Encoding a byte slice into a String only fails for a label RFC 7468 forbids; the
    // labels used here are constants.
    der::pem::encode_string(label, der::pem::LineEnding::LF, der).unwrap_or_default()
}

/// PEM text of certificates, one `CERTIFICATE` block each, in order.
#[cfg_attr(not(feature = "mint"), allow(dead_code))]
pub(crate) fn certificates_pem(certs: &[CertificateDer<'_>]) -> String {
    certs
        .iter()
        .map(|c| pem("CERTIFICATE", c.as_ref()))
        .collect()
}

/// `contents` framed as a DER SEQUENCE (by the `der` crate; empty if over its 256 MiB limit).
pub(crate) fn frame_sequence(contents: &[u8]) -> Vec<u8> {
    der::asn1::AnyRef::new(der::Tag::Sequence, contents)
        .and_then(|any| der::Encode::to_der(&any))
        .unwrap_or_default()
}

/// The DER contents octets of a dotted OID (`1.3.6.1.5.5.7.3.1` → `2b 06 01 05 05 07 03
/// 01`), `None` when the text is not an OID X.680 allows.
pub(crate) fn oid_contents(dotted: &str) -> Option<Vec<u8>> {
    let oid = der::asn1::ObjectIdentifier::new(dotted).ok()?;
    Some(oid.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_digits_per_byte_in_either_case() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff], ":"), "00:0f:a0:ff");
        assert_eq!(hex_upper(&[0x00, 0x0f, 0xa0, 0xff], ""), "000FA0FF");
        assert_eq!(hex(&[], ":"), "");
    }

    #[test]
    fn digests_match_known_vectors() {
        // FIPS 180-2 appendix B.1 / RFC 3174 test vectors for "abc".
        assert_eq!(
            hex(&sha256(b"abc"), ""),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha1(b"abc"), ""),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert!(sha256_fingerprint(b"abc").starts_with("BA:78:16:BF:"));
    }

    #[test]
    fn pem_wraps_at_64_columns_with_lf() {
        let text = pem("CERTIFICATE", &[0u8; 100]);
        assert!(text.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(text.ends_with("-----END CERTIFICATE-----\n"));
        assert!(text.lines().all(|l| l.len() <= 64));
        assert!(!text.contains('\r'));
        let two = certificates_pem(&[vec![1u8; 3].into(), vec![2u8; 3].into()]);
        assert_eq!(two.matches("-----BEGIN CERTIFICATE-----").count(), 2);
    }

    #[test]
    fn oids_encode_multi_byte_arcs_and_refuse_non_oids() {
        assert_eq!(
            oid_contents("1.3.6.1.5.5.7.3.1"),
            Some(vec![0x2b, 6, 1, 5, 5, 7, 3, 1])
        );
        assert_eq!(
            oid_contents("1.3.6.1.4.1.311.10.3.4"),
            Some(vec![0x2b, 6, 1, 4, 1, 0x82, 0x37, 10, 3, 4])
        );
        for bad in ["server", "3.1", "1", "1.40", ""] {
            assert_eq!(oid_contents(bad), None, "{bad}");
        }
    }

    #[test]
    fn sequences_are_framed_by_der() {
        assert_eq!(frame_sequence(&[1, 2]), vec![0x30, 2, 1, 2]);
        assert_eq!(frame_sequence(&[0; 200])[..3], [0x30, 0x81, 200]);
    }
}
