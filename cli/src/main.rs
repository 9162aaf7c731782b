fn main() {
    std::process::exit(chainscope_cli::run())
}
