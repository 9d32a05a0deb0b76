//! Delivering the notification outbox: a background worker takes due messages and
//! hands each to the adapter of its channel, with retries on failure.

mod adapters;
mod worker;

pub use adapters::{Adapters, DeliveryError, HttpSmsGateway, LogAdapter, SmtpMailer};
pub use worker::{OutboxWorker, spawn_worker};
