//! The outbox worker. Every app server runs one; leases on rows keep two workers
//! from sending the same message. Between deliveries it does the periodic
//! housekeeping: finished messages lose their bodies and are purged after the
//! retention period, and the audit chain's head is written to the log.

use std::time::Duration;

use awn_storage::{Database, audit, now_unix_seconds, outbox};
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
    /// Blank in production; kept (encrypted) in development for /dev/outbox.
    pub finished_body: outbox::FinishedBody,
    /// Finished messages older than this are deleted.
    pub retention: Duration,
    /// How often the housekeeping runs (and the audit head is logged).
    pub housekeeping_interval: Duration,
}

impl OutboxWorker {
    /// Delivers what is due now; returns how many messages were handled.
    pub async fn run_once(&self) -> Result<usize, awn_storage::StorageError> {
        let now = now_unix_seconds();
        let due = outbox::claim_due(&self.database, now, LEASE_SECONDS, BATCH).await?;
        for message in &due {
            match self.adapters.deliver(message).await {
                Ok(()) => outbox::mark_sent(&self.database, message.id, now_unix_seconds(), self.finished_body).await?,
                Err(error) => {
                    tracing::warn!(id = message.id, channel = %message.channel, %error, "delivery failed");
                    outbox::mark_attempt_failed(
                        &self.database,
                        message.id,
                        now_unix_seconds(),
                        &error.to_string(),
                        MAX_ATTEMPTS,
                        self.finished_body,
                    )
                    .await?;
                }
            }
        }
        Ok(due.len())
    }

    /// Blanks finished bodies, purges finished messages past the retention,
    /// drops volunteer applications left unconfirmed for a day, and writes the
    /// audit chain's head to the log, where it can be kept apart from
    /// the database (`awn verify-audit --head`). Idempotent: every server may run it.
    pub async fn housekeeping(&self) -> Result<(), awn_storage::StorageError> {
        let retention = i64::try_from(self.retention.as_secs()).unwrap_or(i64::MAX);
        let before = now_unix_seconds().saturating_sub(retention);
        let (blanked, purged) = outbox::purge_finished(&self.database, before, self.finished_body).await?;
        if blanked + purged > 0 {
            tracing::info!(blanked, purged, "outbox housekeeping");
        }
        // A volunteer application never confirmed with its code within a day is dropped.
        let unconfirmed =
            awn_storage::volunteers::purge_unverified(&self.database, now_unix_seconds() - 86_400).await?;
        if unconfirmed > 0 {
            tracing::info!(unconfirmed, "unconfirmed volunteer applications removed");
        }
        let head = audit::head(&self.database).await?;
        tracing::info!(target: "awn::audit_head", position = head.position, hash = %head.hash, "audit chain head");
        Ok(())
    }
}

/// Runs the worker until the returned task is aborted. The first delivery
/// waits one poll interval: a message queued by the first request after a start
/// is not delivered (and, in production, blanked) before that request returns.
pub fn spawn_worker(worker: OutboxWorker) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut housekeeping_due = tokio::time::Instant::now();
        loop {
            if tokio::time::Instant::now() >= housekeeping_due {
                if let Err(error) = worker.housekeeping().await {
                    tracing::error!(%error, "outbox housekeeping");
                }
                housekeeping_due = tokio::time::Instant::now() + worker.housekeeping_interval;
            }
            tokio::time::sleep(worker.poll_interval).await;
            loop {
                match worker.run_once().await {
                    // A full batch: there may be more waiting, go again at once.
                    Ok(handled) if handled as i64 >= BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!(%error, "outbox worker");
                        break;
                    }
                }
            }
        }
    })
}
