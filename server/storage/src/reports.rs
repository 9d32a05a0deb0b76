//! Figures on support requests for staff reports (A13, A18): how many by state,
//! kind, channel and month, and how fast the committee answers against its
//! period. The arithmetic is the domain's (`awn_domain::reports`); the app turns
//! a report into a page, CSV or XLSX.

use std::collections::BTreeMap;

use awn_domain::{
    channels::Channel,
    deadlines::ClockRule,
    reports::{median, month_key, share_of},
    requests::RequestStatus,
};
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Backend, Database, StorageError, StorageResult};

/// Requests submitted in a period, counted.
///
/// Every list holds only what occurs (no zero lines): states in the order of a
/// request's life ([`RequestStatus::ALL`]), channels in the order of
/// [`Channel::ALL`], kinds in their display order, months ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestReport {
    /// Requests submitted in the period.
    pub total: i64,
    /// (status code, count)
    pub by_status: Vec<(String, i64)>,
    /// (support kind code, Arabic name, English name, count)
    pub by_kind: Vec<(String, String, String, i64)>,
    /// (channel code, count)
    pub by_channel: Vec<(String, i64)>,
    /// ("2026-11", count): the Gregorian month of submission in Saudi time.
    pub by_month: Vec<(String, i64)>,
    /// Of those, the ones the committee accepted or rejected.
    pub decided_count: i64,
    /// The median time from submission to the committee's decision, in seconds.
    pub median_seconds_to_decision: Option<i64>,
    /// Of the decided ones, the share (‰) decided within their period (on the
    /// due moment itself counts as within). `None` when none is decided.
    pub share_decided_within_period_permille: Option<u32>,
    /// Of those, the ones overdue at `now` (A13, as the queue counts them).
    pub overdue_now: i64,
}

impl RequestReport {
    /// The median in days (fractional), for display.
    pub fn median_days_to_decision(&self) -> Option<f64> {
        self.median_seconds_to_decision.map(|seconds| seconds as f64 / 86_400.0)
    }
}

/// Counts the requests submitted in `[from, to)` (either bound may be left
/// out). Time to decision is `decided_at - submitted_at`, for requests that
/// have a decision; the period is `decision_due_at - submitted_at`.
///
/// The engine counts (grouped queries, a handful of rows each), so a report
/// costs about the same over a hundred requests or a hundred thousand. The
/// queries read one view of the data, so the figures agree with each other.
pub async fn request_report(
    db: &Database,
    from: Option<i64>,
    to: Option<i64>,
    now: i64,
) -> StorageResult<RequestReport> {
    let mut conditions = Vec::new();
    if from.is_some() {
        conditions.push(format!("r.submitted_at >= ${}", conditions.len() + 1));
    }
    if to.is_some() {
        conditions.push(format!("r.submitted_at < ${}", conditions.len() + 1));
    }
    let next = conditions.len() + 1;
    let filter =
        if conditions.is_empty() { "WHERE 1 = 1".to_owned() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let count = |row: &AnyRow| row.try_get::<i64, _>("n");
    // A sum over a group (never empty, so never NULL).
    let sum = |row: &AnyRow, column: &str| row.try_get::<i64, _>(column);

    // One view for every query: SQLite's read transaction keeps its first;
    // PostgreSQL's read committed would take a new one for each.
    let mut tx = match db.backend() {
        Backend::Sqlite => db.pool().begin().await?,
        Backend::Postgres => db.pool().begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?,
    };
    if db.backend() == Backend::Postgres {
        // The counts below read the report's narrow index from end to end.
        // PostgreSQL's default costs price each index page as a random read
        // from the disk, four times a page of the table read in order. Updates
        // grow the index (a status change writes a new entry; on a freshly
        // seeded database it is 24 MB, 8.6 MB rebuilt at once), and at that
        // price reading all 80 MB of wide rows looked cheaper: 60 ms a pass
        // instead of 20 to 30 (issue 16). The index is in memory while staff
        // read reports, so its pages are priced as such. Without parallel
        // workers: on two busy cores, three processes took twice as long over
        // the index as one.
        for setting in ["SET LOCAL random_page_cost = 1.1", "SET LOCAL max_parallel_workers_per_gather = 0"] {
            sqlx::query(setting).execute(&mut *tx).await?;
        }
    }

    let mut report = RequestReport::default();
    // Status, channel and kind counted in one pass over the report's index: a
    // few hundred rows at most, summed here three ways. The same pass counts
    // the decided ones, those decided within their period, and the open ones
    // due before now (by status: which of them are overdue is the queue's rule,
    // applied below). Grouped in the index's order (kind, channel, status), so
    // the engine counts without sorting.
    let mut statuses: BTreeMap<(usize, String), i64> = BTreeMap::new();
    let mut channels: BTreeMap<(usize, String), i64> = BTreeMap::new();
    let mut kind_counts: BTreeMap<i64, i64> = BTreeMap::new();
    let (mut decided_count, mut within) = (0, 0);
    let overdue = crate::casework::overdue_statuses();
    let cells = fetch(
        &mut tx,
        &format!(
            "SELECT r.support_kind_id, r.channel, r.status, COUNT(*) AS n, \
               SUM(CASE WHEN r.decided_at IS NOT NULL THEN 1 ELSE 0 END) AS decided, \
               SUM(CASE WHEN r.decided_at <= r.decision_due_at THEN 1 ELSE 0 END) AS within, \
               SUM(CASE WHEN r.is_open = 1 AND r.decision_due_at < ${next} THEN 1 ELSE 0 END) AS late \
             FROM support_requests r {filter} GROUP BY r.support_kind_id, r.channel, r.status"
        ),
        [from, to, Some(now)],
    )
    .await?;
    for row in &cells {
        let n = count(row)?;
        let status: String = row.try_get("status")?;
        // Unknown codes (none are expected) go last rather than being dropped.
        let known = RequestStatus::from_code(&status);
        // Due before now, in a state the queue's overdue filter counts (one rule).
        if known.is_some_and(|s| overdue.contains(&s)) {
            report.overdue_now += sum(row, "late")?;
        }
        let position = known.and_then(|s| RequestStatus::ALL.iter().position(|&x| x == s));
        *statuses.entry((position.unwrap_or(usize::MAX), status)).or_default() += n;
        let channel: String = row.try_get("channel")?;
        let position = Channel::from_code(&channel).and_then(|c| Channel::ALL.iter().position(|&x| x == c));
        *channels.entry((position.unwrap_or(usize::MAX), channel)).or_default() += n;
        *kind_counts.entry(row.try_get("support_kind_id")?).or_default() += n;
        report.total += n;
        decided_count += sum(row, "decided")?;
        within += sum(row, "within")?;
    }
    report.by_status = statuses.into_iter().map(|((_, code), n)| (code, n)).collect();
    report.by_channel = channels.into_iter().map(|((_, code), n)| (code, n)).collect();
    let kinds = sqlx::query("SELECT id, code, name_ar, name_en FROM support_kinds ORDER BY sort_order, code")
        .fetch_all(&mut *tx)
        .await?;
    for row in &kinds {
        if let Some(&n) = kind_counts.get(&row.try_get::<i64, _>("id")?) {
            report.by_kind.push((row.try_get("code")?, row.try_get("name_ar")?, row.try_get("name_en")?, n));
        }
    }

    // By Saudi day in the engine (whole-number division on both), by month here.
    let mut months: BTreeMap<String, i64> = BTreeMap::new();
    let days = fetch(
        &mut tx,
        &format!("SELECT (r.submitted_at + 10800) / 86400 AS day, COUNT(*) AS n FROM support_requests r {filter} GROUP BY day"),
        [from, to, None],
    )
    .await?;
    for row in &days {
        // Noon of that Saudi day, in unix seconds.
        let noon = row.try_get::<i64, _>("day")? * 86_400 + 32_400;
        *months.entry(month_key(noon)).or_default() += count(row)?;
    }
    report.by_month = months.into_iter().collect();

    report.decided_count = decided_count;
    report.share_decided_within_period_permille = share_of(within, decided_count);
    if decided_count > 0 {
        // The middle one or two durations, sorted by the engine: the same median
        // as over them all.
        let (take, skip) = if decided_count % 2 == 1 { (1, decided_count / 2) } else { (2, decided_count / 2 - 1) };
        let middle = fetch(
            &mut tx,
            &format!(
                "SELECT r.decided_at - r.submitted_at AS duration FROM support_requests r {filter} \
                 AND r.decided_at IS NOT NULL ORDER BY duration LIMIT {take} OFFSET ${next}"
            ),
            [from, to, Some(skip)],
        )
        .await?;
        let durations = middle.iter().map(|row| row.try_get("duration")).collect::<Result<Vec<i64>, _>>()?;
        report.median_seconds_to_decision = median(&durations);
    }
    // Read only: nothing to keep.
    tx.rollback().await?;
    Ok(report)
}

/// Runs `sql` with the values that are there bound to `$1, $2, …` in order.
async fn fetch(
    connection: &mut AnyConnection,
    sql: &str,
    values: [Option<i64>; 3],
) -> Result<Vec<AnyRow>, sqlx::Error> {
    let mut query = sqlx::query(sql);
    for value in values.into_iter().flatten() {
        query = query.bind(value);
    }
    query.fetch_all(connection).await
}

/// How many clocks of one rule were met in one month, and how many of those on time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnTimeRow {
    /// "2026-11": the Gregorian month the clock was met in, Saudi time.
    pub month: String,
    pub rule: ClockRule,
    pub met: i64,
    pub on_time: i64,
}

/// The clocks met in `[from, to)`, counted by month and rule: months
/// ascending, rules in the order of [`ClockRule::ALL`], only what occurs.
/// Clocks stopped another way are not counted. The month of a unix time is
/// worked out here, the same on both engines.
pub async fn on_time_by_month(db: &Database, from: i64, to: i64) -> StorageResult<Vec<OnTimeRow>> {
    // Every rule named, so the `(rule, finished_at)` index serves each range;
    // counted by Saudi day in the engine (whole-number division on both), by
    // month here, so only a few rows per day reach Awn however many clocks.
    let rules = (0..ClockRule::ALL.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT rule, (finished_at + 10800) / 86400 AS day, COUNT(*) AS met, \
           SUM(CASE WHEN on_time = 1 THEN 1 ELSE 0 END) AS on_time FROM clocks \
         WHERE rule IN ({rules}) AND finished_at >= $1 AND finished_at < $2 AND phase = 'met' GROUP BY rule, day"
    );
    let mut query = sqlx::query(&sql).bind(from).bind(to);
    for rule in ClockRule::ALL {
        query = query.bind(rule.code());
    }
    let rows = query.fetch_all(db.pool()).await?;
    let mut counts: BTreeMap<(String, usize), OnTimeRow> = BTreeMap::new();
    for row in &rows {
        let code: String = row.try_get("rule")?;
        let rule = ClockRule::from_code(&code).ok_or_else(|| StorageError::Invalid(format!("clock rule `{code}`")))?;
        let position = ClockRule::ALL.iter().position(|r| *r == rule).unwrap_or(usize::MAX);
        // Noon of that Saudi day, in unix seconds.
        let month = month_key(row.try_get::<i64, _>("day")? * 86_400 + 32_400);
        let count =
            counts.entry((month.clone(), position)).or_insert_with(|| OnTimeRow { month, rule, met: 0, on_time: 0 });
        count.met += row.try_get::<i64, _>("met")?;
        count.on_time += row.try_get::<Option<i64>, _>("on_time")?.unwrap_or(0);
    }
    Ok(counts.into_values().collect())
}

/// The running clocks past their due moment at `now`, counted by rule (rules
/// in the order of [`ClockRule::ALL`], only those with one).
pub async fn late_now_by_rule(db: &Database, now: i64) -> StorageResult<Vec<(ClockRule, i64)>> {
    let rows =
        sqlx::query("SELECT rule, COUNT(*) AS late FROM clocks WHERE phase = 'running' AND due_at < $1 GROUP BY rule")
            .bind(now)
            .fetch_all(db.pool())
            .await?;
    let mut late = Vec::new();
    for row in &rows {
        let code: String = row.try_get("rule")?;
        let rule = ClockRule::from_code(&code).ok_or_else(|| StorageError::Invalid(format!("clock rule `{code}`")))?;
        late.push((rule, row.try_get::<i64, _>("late")?));
    }
    late.sort_by_key(|(rule, _)| ClockRule::ALL.iter().position(|r| r == rule));
    Ok(late)
}

/// A request's attributes for the research export, with no identifier at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResearchRecord {
    pub birth_date: String,
    pub household_members: i64,
    pub monthly_income: i64,
    pub support_kind_code: String,
    pub status: String,
}

/// Every submitted request's research attributes (erased ones left out).
pub async fn research_records(db: &Database) -> StorageResult<Vec<ResearchRecord>> {
    let rows = sqlx::query(
        "SELECT r.birth_date, r.household_members, r.monthly_income, k.code, r.status \
         FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id \
         WHERE r.national_id NOT LIKE 'erased:%'",
    )
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    rows.iter()
        .map(|row| {
            Ok(ResearchRecord {
                birth_date: keys.decrypt_text(crate::crypto::BIRTH_DATE, &row.try_get::<String, _>("birth_date")?)?,
                household_members: row.try_get("household_members")?,
                monthly_income: row.try_get("monthly_income")?,
                support_kind_code: row.try_get("code")?,
                status: row.try_get("status")?,
            })
        })
        .collect()
}
