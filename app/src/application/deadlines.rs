//! The scheduled work of the deadline clocks (issue 14), run by the server's
//! scheduler under a lease: reminders before a deadline, escalations (or, for
//! the beneficiary's own clock, the request's lapse) once it passes, and each
//! member of staff's morning digest. Each message is claimed in the
//! transaction that sends it, so a run repeated after a crash or on another
//! server sends nothing twice. `now` is given, so tests move the clock.

use awn_domain::{calendar::UnixTime, deadlines::Reminded};
use awn_storage::{
    Database, StorageError,
    clocks::{self, DueClock, Moment},
};

use crate::notices::deadlines as notices;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub staff_reminders: usize,
    pub escalations: usize,
    pub beneficiary_reminders: usize,
    pub lapses: usize,
    pub digests: usize,
}

/// Clocks handled per query; a run goes on while full batches come back.
const BATCH: i64 = 100;
/// A run stops after this many batches and leaves the rest to the next one.
const MAX_BATCHES: usize = 20;

/// Sends every reminder and escalation due at `now`, and lapses the requests
/// whose missing information never came.
pub async fn run_due(database: &Database, now: UnixTime) -> Result<RunSummary, StorageError> {
    let mut summary = RunSummary::default();
    let times = MessageTimes::load(database).await?;
    for moment in [Moment::Reminder, Moment::Escalation] {
        for _ in 0..MAX_BATCHES {
            let due = clocks::due_now(database, moment, now, BATCH).await?;
            for clock in due.iter().filter(|clock| times.may_send(clock.rule, now)) {
                send(database, moment, clock, now, &mut summary).await?;
            }
            if (due.len() as i64) < BATCH {
                break;
            }
        }
    }
    Ok(summary)
}

/// When messages may go: the pending moments are set within working time,
/// but a server that was down then must not catch up at night or on a holiday.
struct MessageTimes {
    calendar: awn_domain::deadlines::WorkCalendar,
    around_the_clock: Vec<awn_domain::deadlines::ClockRule>,
}

impl MessageTimes {
    async fn load(database: &Database) -> Result<Self, StorageError> {
        let mut connection = database.pool().acquire().await?;
        let calendar = clocks::work_calendar_in(&mut connection).await?;
        let around_the_clock = clocks::all_rule_settings_in(&mut connection)
            .await?
            .into_iter()
            .filter(|(_, settings)| settings.unit == awn_domain::deadlines::ClockUnit::CalendarHours)
            .map(|(rule, _)| rule)
            .collect();
        Ok(MessageTimes { calendar, around_the_clock })
    }

    fn may_send(&self, rule: awn_domain::deadlines::ClockRule, now: UnixTime) -> bool {
        self.around_the_clock.contains(&rule) || self.calendar.is_working_time(now)
    }
}

async fn send(
    database: &Database,
    moment: Moment,
    clock: &DueClock,
    now: UnixTime,
    summary: &mut RunSummary,
) -> Result<(), StorageError> {
    let due_at = clock.due_at.map_or(now.seconds(), UnixTime::seconds);
    let (rule, label) = (clock.rule, clock.label.as_str());
    match (clock.rule.reminded(), moment) {
        (Reminded::Beneficiary, Moment::Reminder) => {
            let compose = |recipient: &_| notices::missing_information_reminder(recipient, due_at);
            if clocks::remind_beneficiary_once(database, clock, now, compose).await? {
                summary.beneficiary_reminders += 1;
            }
        }
        (Reminded::Beneficiary, Moment::Escalation) => {
            let reason = |language| notices::lapse_reason(language, due_at);
            let compose = |recipient: &_| notices::request_lapsed(recipient, due_at);
            if clocks::lapse_request_once(database, clock, now, reason, compose).await? {
                summary.lapses += 1;
            }
        }
        (Reminded::Staff, Moment::Reminder) => {
            let compose = |person: &_| notices::staff_reminder(person, rule, label, due_at);
            if clocks::send_to_staff_once(database, moment, clock, now, compose).await? {
                summary.staff_reminders += 1;
            }
        }
        (Reminded::Staff, Moment::Escalation) => {
            let compose = |person: &_| notices::staff_escalation(person, rule, label, due_at);
            if clocks::send_to_staff_once(database, moment, clock, now, compose).await? {
                summary.escalations += 1;
            }
        }
    }
    Ok(())
}

/// Runs, at its own moment, what is pending about one item: the same sending
/// as the scheduler's when that moment comes. For the development server's
/// `/dev/scheduler/run`, where the browser journeys move one item's clock on
/// without waiting days (and without touching any other item).
pub async fn run_pending_for(
    database: &Database,
    subject: clocks::Subject,
    moment: Moment,
) -> Result<RunSummary, StorageError> {
    let mut summary = RunSummary::default();
    for clock in clocks::pending_for(database, subject, moment).await? {
        send(database, moment, &clock, clock.pending_at, &mut summary).await?;
    }
    Ok(summary)
}

/// Sends each member of staff their digest of the day, once, within working
/// hours on a working day (never on a weekend or holiday).
pub async fn send_digests(database: &Database, now: UnixTime) -> Result<usize, StorageError> {
    let calendar = {
        let mut connection = database.pool().acquire().await?;
        clocks::work_calendar_in(&mut connection).await?
    };
    if !calendar.is_working_time(now) {
        return Ok(0);
    }
    let day = awn_domain::improvements::iso_day(now.seconds());
    let mut sent = 0;
    for digest in clocks::digests_due(database, &day, now).await? {
        let messages = notices::staff_digest(&digest.recipient, digest.counts);
        if clocks::send_digest_once(database, &digest, &day, now, &messages).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// When the next digest run is due: when working hours next open.
pub async fn next_digest_at(database: &Database, now: UnixTime) -> Result<UnixTime, StorageError> {
    let mut connection = database.pool().acquire().await?;
    let calendar = clocks::work_calendar_in(&mut connection).await?;
    Ok(calendar.next_opening_after(now))
}

/// The clock of `rule` about `subject` that is open now (running or paused),
/// as a page shows it; `None` once it has ended.
pub async fn open_deadline(
    database: &Database,
    rule: awn_domain::deadlines::ClockRule,
    subject: clocks::Subject,
    now: UnixTime,
) -> Result<Option<crate::deadlines::DeadlineView>, StorageError> {
    use awn_domain::deadlines::ClockPhase;
    let Some(kept) = clocks::open_as_kept(database, rule, subject).await? else { return Ok(None) };
    Ok(Some(crate::deadlines::DeadlineView {
        rule,
        due_at: kept.due_at.map(UnixTime::seconds),
        paused: kept.phase == ClockPhase::Paused,
        overdue: kept.phase.overdue(kept.due_at, now),
        extended_reason: kept.extended_reason,
    }))
}
