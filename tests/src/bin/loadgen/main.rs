//! `loadgen`: N simulated students against one proctor over real QUIC, driving the exam
//! client's own networking code (`phongthi_client::net`), with optional fault drills. Prints a
//! JSON report on stdout and a summary on stderr; exits non-zero when an acknowledged answer is
//! missing from the proctor's store, a receipt fails to verify, or a student could not finish.
//!
//! The proctor runs in a child process (this same binary in its `serve-proctor` mode, which
//! calls the proctor crate's `serve`, the code `proctor serve` runs), so it can be killed with
//! SIGKILL and restarted, and its memory and CPU measured apart from the simulated students.

mod answers;
mod check;
mod hostile;
mod options;
mod proctor;
mod proxy;
mod report;
mod run;
mod student;

use clap::Parser;
use options::{Cli, Mode};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    phongthi_net::init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("loadgen: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.mode {
            Some(Mode::ServeProctor(args)) => proctor::serve_child(args).await.map(|()| true),
            None => run::run(cli.options).await,
        }
    });
    match outcome {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(error) => {
            eprintln!("loadgen: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}
