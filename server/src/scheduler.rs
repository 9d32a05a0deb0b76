//! The scheduler: every app server runs one, and each job runs once per due
//! moment whichever server gets there first, because a run needs the job's
//! lease in the database (`awn_storage::jobs`). What a run sends is claimed
//! row by row in the transactions that send it, so a run cut short by a crash
//! and repeated later (or elsewhere) sends nothing twice and loses nothing.

use std::time::Duration;

use app::application::deadlines;
use awn_domain::calendar::UnixTime;
use awn_storage::{Database, jobs, now_unix_seconds};
use tokio::task::JoinHandle;

/// Reminders, escalations and lapses: looked for every minute.
pub const DEADLINES_JOB: &str = "deadlines";
/// Each member of staff's morning digest: when working hours open.
pub const DIGEST_JOB: &str = "digest";
const DEADLINES_EVERY_SECONDS: i64 = 60;
/// A run longer than this is taken to have died; another server may run it.
const LEASE_SECONDS: i64 = 300;

#[derive(Debug, Clone)]
pub struct Scheduler {
    pub database: Database,
    /// This server's name in the leases: host, process and a random part.
    pub owner: String,
    /// How often the server looks for due jobs.
    pub tick: Duration,
}

impl Scheduler {
    pub fn new(database: Database, tick: Duration) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "awn".to_owned());
        let owner = format!("{host}:{}:{}", std::process::id(), awn_storage::secrets::new_token());
        Scheduler { database, owner, tick }
    }

    /// Runs every job that is due at `now` and whose lease this server wins.
    /// Returns the names of the jobs it ran.
    pub async fn run_due_jobs(&self, now: UnixTime) -> Result<Vec<&'static str>, awn_storage::StorageError> {
        jobs::ensure(&self.database, DEADLINES_JOB, now.seconds()).await?;
        jobs::ensure(&self.database, DIGEST_JOB, now.seconds()).await?;
        let mut ran = Vec::new();
        for name in [DEADLINES_JOB, DIGEST_JOB] {
            if !jobs::try_lease(&self.database, name, &self.owner, now.seconds(), LEASE_SECONDS).await? {
                continue;
            }
            let (outcome, next) = match name {
                DEADLINES_JOB => (
                    deadlines::run_due(&self.database, now).await.map(|summary| {
                        if summary != deadlines::RunSummary::default() {
                            tracing::info!(?summary, "deadline reminders and escalations");
                        }
                    }),
                    now.plus_seconds(DEADLINES_EVERY_SECONDS),
                ),
                _ => {
                    let outcome = deadlines::send_digests(&self.database, now).await.map(|sent| {
                        if sent > 0 {
                            tracing::info!(sent, "daily digests");
                        }
                    });
                    let next = deadlines::next_digest_at(&self.database, now).await.unwrap_or(now.plus_days(1));
                    (outcome, next)
                }
            };
            let error = outcome.as_ref().err().map(ToString::to_string);
            if let Some(error) = &error {
                tracing::error!(job = name, %error, "scheduled job failed");
            }
            // A failed run is tried again at the next tick rather than at its next moment.
            let next = if error.is_some() { now.plus_seconds(DEADLINES_EVERY_SECONDS) } else { next };
            jobs::finish(&self.database, name, &self.owner, now_unix_seconds(), next.seconds(), error.as_deref())
                .await?;
            ran.push(name);
        }
        Ok(ran)
    }
}

/// Runs the scheduler until the returned task is aborted.
pub fn spawn_scheduler(scheduler: Scheduler) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(scheduler.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = scheduler.run_due_jobs(UnixTime::from_seconds(now_unix_seconds())).await {
                tracing::error!(%error, "scheduler");
            }
        }
    })
}
