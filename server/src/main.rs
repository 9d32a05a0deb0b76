#![recursion_limit = "256"]

use std::process::ExitCode;

use clap::Parser;
use server::{
    config::{Cli, Command},
    startup::{Application, prepare_database, termination_signal},
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.settings.log_format);
    let settings = cli.settings;

    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match Application::build(&settings).await {
            Ok(app) => app.run_until(termination_signal()).await.map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        Command::Migrate => prepare_database(&settings).await.map(|_| ()).map_err(|e| e.to_string()),
        Command::SeedDemo => {
            let settings = server::config::Settings { demo_data: true, ..settings };
            prepare_database(&settings).await.map(|_| ()).map_err(|e| e.to_string())
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "awn stopped with an error");
            eprintln!("awn: {error}");
            ExitCode::FAILURE
        }
    }
}
