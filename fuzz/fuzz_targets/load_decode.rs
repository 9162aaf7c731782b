//! Load any bytes as a certificate input and decode everything found — the `show --json`
//! pipeline: `load_bytes` (strict and `keep_going`) → `InputReport::from_bundle` (every
//! certificate, request and the chain relations) → JSON. Errors are fine; a panic, an abort
//! or a stack overflow is a finding.

#![no_main]

use chainscope::inspect::{InputReport, StreamedReport};
use chainscope::{load_bytes, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let at = time::macros::datetime!(2030-06-01 00:00 UTC);
    for keep_going in [false, true] {
        match load_bytes(data, "fuzz", &{
            let mut o = LoadOptions::default();
            o.keep_going = keep_going;
            o
        }) {
            Ok(bundle) => {
                // `show --json` writes the streamed form: it must say exactly the same.
                let streamed = serde_json::to_string(&StreamedReport::new(&bundle, at));
                match InputReport::from_bundle(&bundle, at) {
                    Ok(report) => {
                        let json = serde_json::to_string(&report).expect("report serializes");
                        assert_eq!(streamed.ok(), Some(json));
                    }
                    Err(e) => {
                        assert!(!e.to_string().contains('\n'));
                        assert!(streamed.is_err());
                    }
                }
            }
            Err(e) => assert!(!e.to_string().contains('\n')),
        }
    }
});
