//! Awn's web server: configuration, the HTTP stack around the Leptos app, health
//! checks and the process lifecycle. `main.rs` only parses the command line.

#![recursion_limit = "256"]

pub mod client_address;
pub mod config;
pub mod limits;
pub mod notifications;
pub mod page_cache;
pub mod routes;
pub mod scheduler;
pub mod security;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod telemetry;
