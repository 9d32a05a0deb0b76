//! The staff queue: requests filtered and paged, and the count of overdue ones (A13).

use awn_domain::{
    channels::Channel,
    identity::NationalId,
    ids::{RequestId, StaffId},
    locale::Language,
    requests::RequestStatus,
    search, workflow,
};
use sqlx::Row;

use super::{channel_of, status_of};
use crate::crypto::national_id_hash;
use crate::{Database, Page, PageRequest, StorageResult, page_of, page_window};

/// What the queue shows. Every filter left empty lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: Option<RequestStatus>,
    /// A support kind's code.
    pub support_kind: Option<String>,
    pub channel: Option<Channel>,
    pub assignee_id: Option<StaffId>,
    pub overdue_only: bool,
    /// Words looked for in the name, national ID and reference, however typed
    /// (hamza, ta marbuta, digits in any script: `awn_domain::search`).
    pub search: String,
}

/// A line of the staff queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: RequestId,
    pub reference: String,
    pub full_name: String,
    pub national_id: String,
    pub support_kind_code: String,
    pub support_kind_name_ar: String,
    pub support_kind_name_en: String,
    pub channel: Channel,
    pub status: RequestStatus,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub assignee_id: Option<StaffId>,
    pub assignee_name: Option<String>,
    /// The committee's period passed without an answer (A13).
    pub overdue: bool,
    /// Another account's open request for the same national ID.
    pub possible_duplicate_of: Option<RequestId>,
}

impl QueueItem {
    pub fn support_kind_name(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.support_kind_name_ar,
            Language::English => &self.support_kind_name_en,
        }
    }
}

/// The states in which a request can be overdue: those the domain's rule calls
/// overdue once the due moment has passed.
pub(crate) fn overdue_statuses() -> Vec<RequestStatus> {
    RequestStatus::ALL.into_iter().filter(|&status| workflow::is_overdue(status, 0, 1)).collect()
}

/// A value bound to a query built at run time.
enum Param {
    Text(String),
    Int(i64),
}

/// Builds `WHERE` conditions with `$n` placeholders and their values in order.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    params: Vec<Param>,
}

impl Conditions {
    fn placeholder(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn push(&mut self, condition: impl FnOnce(&mut Self) -> String) {
        let sql = condition(self);
        self.sql.push(sql);
    }

    /// Requests overdue at `now`: a necessary and sufficient condition for
    /// `workflow::is_overdue`, written in SQL so it can use the index.
    fn overdue(&mut self, now: i64) {
        self.push(|c| {
            let due = c.placeholder(Param::Int(now));
            let statuses: Vec<String> =
                overdue_statuses().into_iter().map(|s| c.placeholder(Param::Text(s.code().to_owned()))).collect();
            format!("r.is_open = 1 AND r.decision_due_at < {due} AND r.status IN ({})", statuses.join(", "))
        });
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() { String::new() } else { format!("WHERE {}", self.sql.join(" AND ")) }
    }

    fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for param in &self.params {
            query = match param {
                Param::Text(text) => query.bind(text.as_str()),
                Param::Int(number) => query.bind(*number),
            };
        }
        query
    }
}

/// What the queue's search compares for a request: its name and reference in
/// the search's folded form (stored as `search_key`).
pub fn queue_search_key(full_name: &str, reference: &str) -> String {
    search::search_key(&format!("{full_name} {reference}"))
}

/// A `LIKE` pattern matching `word` anywhere, with the pattern's own wildcards
/// escaped (a search for `50%` looks for those characters).
fn contains_pattern(word: &str) -> String {
    let mut pattern = String::from("%");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A page of the requests staff work on: open ones first, the oldest due
/// first; with the total of the filtered queue.
///
/// Everything is filtered by the engine, and the order is an index, so a page
/// costs about the same with a hundred requests or a hundred thousand. The search
/// looks for every word of the query, in the folded form of `awn_domain::search`
/// (hamza, ta marbuta, digit scripts), in the name and reference (`search_key`);
/// a word that is a whole national ID finds the request by the ID's keyed hash
/// instead (the ID itself is encrypted, so part of one finds nothing).
pub async fn queue(
    db: &Database,
    filter: &QueueFilter,
    now: i64,
    request: PageRequest,
) -> StorageResult<Page<QueueItem>> {
    let keys = db.keys()?;
    let mut conditions = Conditions::default();
    if let Some(status) = filter.status {
        conditions.push(|c| format!("r.status = {}", c.placeholder(Param::Text(status.code().to_owned()))));
    }
    if let Some(kind) = &filter.support_kind {
        conditions.push(|c| {
            format!(
                "r.support_kind_id IN (SELECT id FROM support_kinds WHERE code = {})",
                c.placeholder(Param::Text(kind.clone()))
            )
        });
    }
    if let Some(channel) = filter.channel {
        conditions.push(|c| format!("r.channel = {}", c.placeholder(Param::Text(channel.code().to_owned()))));
    }
    if let Some(assignee) = filter.assignee_id {
        conditions.push(|c| format!("r.assignee_id = {}", c.placeholder(Param::Int(assignee.get()))));
    }
    if filter.overdue_only {
        conditions.overdue(now);
    }
    // Words of the name or reference: looked for in the narrow search-key index
    // (a subquery the engine answers from the index alone); a whole national ID by
    // its hash, through its own index.
    let searched = search::search_key(&filter.search);
    let mut name_words = Vec::new();
    for word in searched.split(' ').filter(|word| !word.is_empty()) {
        match NationalId::parse(word).ok().and_then(|id| national_id_hash(keys, id.as_str())) {
            Some(hash) => conditions.push(|c| format!("r.national_id_hash = {}", c.placeholder(Param::Text(hash)))),
            None => name_words.push(word),
        }
    }
    if !name_words.is_empty() {
        conditions.push(|c| {
            let likes: Vec<String> = name_words
                .iter()
                .map(|word| {
                    format!("search_key LIKE {} ESCAPE '\\'", c.placeholder(Param::Text(contains_pattern(word))))
                })
                .collect();
            format!("r.id IN (SELECT id FROM support_requests WHERE {})", likes.join(" AND "))
        });
    }
    let filtered = format!("FROM support_requests r {}", conditions.where_clause());
    let from = "FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id \
         LEFT JOIN staff_accounts a ON a.id = r.assignee_id";
    let select = "SELECT r.id, r.reference, r.full_name, r.national_id, k.code AS kind_code, k.name_ar, k.name_en, \
           r.channel, r.status, r.submitted_at, r.decision_due_at, r.assignee_id, a.display_name AS assignee_name, \
           r.possible_duplicate_of";
    let order = "ORDER BY r.is_open DESC, r.decision_due_at, r.id";
    // The count needs no join: every condition is on the request's own columns.
    let count_sql = format!("SELECT COUNT(*) AS total {filtered}");
    let total: i64 = conditions.bind(sqlx::query(&count_sql)).fetch_one(db.pool()).await?.try_get("total")?;
    let (request, limit, offset) = page_window(request, total);
    let limit = conditions.placeholder(Param::Int(limit));
    let offset = conditions.placeholder(Param::Int(offset));
    // The page's ids first, from the queue's index (it holds the order, the
    // status and the id, so the state filters and the skipped pages read no
    // row); then the twenty rows themselves.
    let sql =
        format!("{select} {from} WHERE r.id IN (SELECT r.id {filtered} {order} LIMIT {limit} OFFSET {offset}) {order}");
    let rows = conditions.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    let items = rows.iter().map(|row| queue_item(row, keys, now)).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

/// Gives requests from before the queue's search key existed their key
/// (start-up, idempotent; an erased request has no name and stays unkeyed).
/// Returns how many it keyed.
pub async fn backfill_search_keys(db: &Database) -> StorageResult<u64> {
    let rows =
        sqlx::query("SELECT id, full_name, reference FROM support_requests WHERE search_key = '' AND full_name <> ''")
            .fetch_all(db.pool())
            .await?;
    for row in &rows {
        let key = queue_search_key(&row.try_get::<String, _>("full_name")?, &row.try_get::<String, _>("reference")?);
        sqlx::query("UPDATE support_requests SET search_key = $1 WHERE id = $2")
            .bind(key)
            .bind(row.try_get::<i64, _>("id")?)
            .execute(db.pool())
            .await?;
    }
    Ok(u64::try_from(rows.len()).unwrap_or(u64::MAX))
}

fn queue_item(row: &sqlx::any::AnyRow, keys: &crate::crypto::Keyring, now: i64) -> StorageResult<QueueItem> {
    let status = status_of(&row.try_get::<String, _>("status")?)?;
    let decision_due_at: i64 = row.try_get("decision_due_at")?;
    Ok(QueueItem {
        id: RequestId::new(row.try_get("id")?),
        reference: row.try_get("reference")?,
        full_name: row.try_get("full_name")?,
        national_id: keys.decrypt_text(crate::crypto::NATIONAL_ID, &row.try_get::<String, _>("national_id")?)?,
        support_kind_code: row.try_get("kind_code")?,
        support_kind_name_ar: row.try_get("name_ar")?,
        support_kind_name_en: row.try_get("name_en")?,
        channel: channel_of(&row.try_get::<String, _>("channel")?)?,
        status,
        submitted_at: row.try_get("submitted_at")?,
        decision_due_at,
        assignee_id: row.try_get::<Option<i64>, _>("assignee_id")?.map(StaffId::new),
        assignee_name: row.try_get("assignee_name")?,
        overdue: workflow::is_overdue(status, decision_due_at, now),
        possible_duplicate_of: row.try_get::<Option<i64>, _>("possible_duplicate_of")?.map(RequestId::new),
    })
}

/// How many requests are overdue now (A13), for the workspace's home.
pub async fn overdue_count(db: &Database, now: i64) -> StorageResult<i64> {
    let mut conditions = Conditions::default();
    conditions.overdue(now);
    let sql = format!("SELECT COUNT(*) FROM support_requests r {}", conditions.where_clause());
    let row = conditions.bind(sqlx::query(&sql)).fetch_one(db.pool()).await?;
    Ok(row.try_get(0)?)
}
