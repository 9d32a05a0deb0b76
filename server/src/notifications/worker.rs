//! The outbox worker. Every app server runs one; leases on rows keep two workers
//! from sending the same message.

use std::time::Duration;

use awn_storage::{Database, now_unix_seconds, outbox};
use tokio::task::JoinHandle;

use super::Adapters;

/// Deliveries tried before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 6;
/// How long a claimed message stays reserved for the worker that took it.
const LEASE_SECONDS: i64 = 120;
const BATCH: i64 = 20;

#[derive(Debug, Clone)]
pub struct OutboxWorker {
    pub database: Database,
    pub adapters: Adapters,
    pub poll_interval: Duration,
}

impl OutboxWorker {
    /// Delivers what is due now; returns how many messages were handled.
    pub async fn run_once(&self) -> Result<usize, awn_storage::StorageError> {
        let now = now_unix_seconds();
        let due = outbox::claim_due(&self.database, now, LEASE_SECONDS, BATCH).await?;
        for message in &due {
            match self.adapters.deliver(message).await {
                Ok(()) => outbox::mark_sent(&self.database, message.id, now_unix_seconds()).await?,
                Err(error) => {
                    tracing::warn!(id = message.id, channel = %message.channel, %error, "delivery failed");
                    outbox::mark_attempt_failed(
                        &self.database,
                        message.id,
                        now_unix_seconds(),
                        &error.to_string(),
                        MAX_ATTEMPTS,
                    )
                    .await?;
                }
            }
        }
        Ok(due.len())
    }
}

/// Runs the worker until the returned task is aborted.
pub fn spawn_worker(worker: OutboxWorker) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match worker.run_once().await {
                // A full batch: there may be more waiting, go again at once.
                Ok(handled) if handled as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "outbox worker"),
            }
            tokio::time::sleep(worker.poll_interval).await;
        }
    })
}
