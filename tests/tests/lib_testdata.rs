//! `lib/testdata/` holds copies of fixtures for the library's documentation examples and unit
//! tests (so the published crate reads nothing outside `lib/`); they must stay identical to
//! the originals.

use std::path::{Path, PathBuf};

/// Every file under `dir`, recursively, README excepted.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "README.md") {
            out.push(path);
        }
    }
}

#[test]
fn lib_testdata_matches_certs_fixtures() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lib/testdata");
    let mut all = Vec::new();
    files(&lib, &mut all);
    let readme = std::fs::read_to_string(lib.join("README.md")).expect("lib/testdata/README.md");
    for file in &all {
        let rel = file
            .strip_prefix(&lib)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let copy = std::fs::read(file).unwrap();
        let original = std::fs::read(chainscope_tests::fixture(&rel))
            .unwrap_or_else(|e| panic!("certs-fixtures/{rel}: {e}"));
        assert!(
            copy == original,
            "lib/testdata/{rel} differs from certs-fixtures"
        );
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        assert!(
            readme.contains(&format!("`{dir}/")),
            "lib/testdata/README.md does not list {rel}'s directory"
        );
    }
    assert_eq!(all.len(), 37, "files compared");
}
