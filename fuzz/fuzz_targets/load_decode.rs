//! Load any bytes as a certificate input and decode everything found — the `show --json`
//! pipeline: `load_bytes` (strict and `keep_going`) → `InputReport::from_bundle` (every
//! certificate, request and the chain relations) → JSON. Errors are fine; a panic, an abort
//! or a stack overflow is a finding.

#![no_main]

use chainscope::inspect::{to_pem, InputReport};
use chainscope::{load_bytes, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let at = time::macros::datetime!(2030-06-01 00:00 UTC);
    for keep_going in [false, true] {
        match load_bytes(data, "fuzz", &LoadOptions { keep_going }) {
            Ok(bundle) => {
                match InputReport::from_bundle(&bundle, at) {
                    Ok(report) => {
                        serde_json::to_string(&report).expect("report serializes");
                    }
                    Err(e) => assert!(!e.to_string().contains('\n')),
                }
                let _ = to_pem(&bundle.ders());
            }
            Err(e) => assert!(!e.to_string().contains('\n')),
        }
    }
});
