//! The `codetable` binary: the command line of [`codetable_cli::run`].

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(codetable_cli::run(std::env::args_os()))
}
