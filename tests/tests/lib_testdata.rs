//! `lib/testdata/` holds copies of fixtures for the library's documentation examples (so the
//! published crate reads nothing outside `lib/`); they must stay identical to the originals.

#[test]
fn lib_testdata_matches_certs_fixtures() {
    let lib = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lib/testdata");
    let mut compared = 0;
    for dir in std::fs::read_dir(&lib).expect("lib/testdata").flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir.path()).expect("dir").flatten() {
            let rel = file.path().strip_prefix(&lib).unwrap().to_path_buf();
            let copy = std::fs::read(file.path()).unwrap();
            let original = std::fs::read(chainscope_tests::fixture(&rel.to_string_lossy()))
                .unwrap_or_else(|e| panic!("certs-fixtures/{}: {e}", rel.display()));
            assert!(
                copy == original,
                "lib/testdata/{} differs from certs-fixtures",
                rel.display()
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 7, "files compared");
}
