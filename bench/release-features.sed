# Dependency features the chainscope binary enables but never uses, dropped for the
# `features` variant of bench/release-profile.sh (applied to every Cargo.toml of a copy).
# rustls / tokio-rustls "logging": log records nobody collects (no logger is installed
# anywhere in chainscope); it pulls the `log` crate and compiles the log call sites in.
/^\(tokio-\)\?rustls = .*aws_lc_rs/s/, "logging"\]/]/
