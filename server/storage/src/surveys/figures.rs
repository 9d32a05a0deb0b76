//! What the satisfaction dashboard is computed from (C2, C3): responses
//! counted by cell, the invitations sent for the response rate, and the
//! comments, a page at a time.

use awn_domain::surveys::QuestionKind;
use sqlx::Row;

use crate::{Database, Page, PageRequest, StorageResult, page_of, page_window};

/// Invitations sent by message, by month sent, in `from..=to`.
pub async fn invitations_by_month(
    db: &Database,
    survey_id: Option<i64>,
    from: Option<&str>,
    to: Option<&str>,
) -> StorageResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT sent_month, COUNT(*) AS sent FROM survey_invitations \
         WHERE by_message = 1 AND ($1 IS NULL OR survey_id = $1) AND ($2 IS NULL OR sent_month >= $2) \
           AND ($3 IS NULL OR sent_month <= $3) GROUP BY sent_month ORDER BY sent_month",
    )
    .bind(survey_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|row| Ok((row.try_get("sent_month")?, row.try_get("sent")?))).collect()
}

/// The responses of one cell of the dashboard: one month, channel, kind of
/// service, team and way of answering, counted, with every score given in it.
/// The dashboard's groups are sums of cells, so the engine counts and only a
/// few hundred cells reach Awn however many responses there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseCell {
    pub month: String,
    pub channel: Option<String>,
    pub service_kind: Option<String>,
    pub team: Option<String>,
    pub by_message: bool,
    pub responses: usize,
    /// The 1–5 scores given, ascending.
    pub satisfaction: Vec<u8>,
    /// The 0–10 scores given, ascending.
    pub recommend: Vec<u8>,
}

/// Which responses a figure counts: of one survey or of all, in the months
/// `from..=to` ("2026-01"; either may be open), and, for a staff member's own
/// figures, those that name them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseScope<'a> {
    pub survey_id: Option<i64>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub staff_id: Option<i64>,
}

const SCOPE: &str = "($1 IS NULL OR r.survey_id = $1) AND ($2 IS NULL OR r.month >= $2) \
                     AND ($3 IS NULL OR r.month <= $3) AND ($4 IS NULL OR r.staff_id = $4)";
const CELL: &str = "r.month, r.channel, r.service_kind, r.team, r.by_message";

fn scoped<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    scope: ResponseScope<'q>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query.bind(scope.survey_id).bind(scope.from).bind(scope.to).bind(scope.staff_id)
}

type CellKey = (String, Option<String>, Option<String>, Option<String>, bool);

/// A cell's key from the counts, where an empty column is '' (see
/// `responses::count_in_cell`).
fn cell_key(row: &sqlx::any::AnyRow) -> StorageResult<CellKey> {
    let given = |column: &str| -> StorageResult<Option<String>> {
        Ok(Some(row.try_get::<String, _>(column)?).filter(|value| !value.is_empty()))
    };
    Ok((
        row.try_get("month")?,
        given("channel")?,
        given("service_kind")?,
        given("team")?,
        row.try_get::<i64, _>("by_message")? != 0,
    ))
}

/// The dashboard's cells in `scope`, in key order, from the counts kept as
/// each response is recorded: the view reads a few hundred rows at any
/// number of responses.
pub async fn response_cells(db: &Database, scope: ResponseScope<'_>) -> StorageResult<Vec<ResponseCell>> {
    let counted = scoped(
        sqlx::query(&format!(
            "SELECT {CELL}, CAST(SUM(r.responses) AS BIGINT) AS n FROM survey_cell_responses r WHERE {SCOPE} GROUP BY {CELL}"
        )),
        scope,
    )
    .fetch_all(db.pool())
    .await?;
    let mut cells: std::collections::BTreeMap<CellKey, ResponseCell> = std::collections::BTreeMap::new();
    for row in &counted {
        let key = cell_key(row)?;
        let responses = usize::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0);
        let (month, channel, service_kind, team, by_message) = key.clone();
        cells.insert(
            key,
            ResponseCell { month, channel, service_kind, team, by_message, responses, ..Default::default() },
        );
    }
    let scores = scoped(
        sqlx::query(&format!(
            "SELECT {CELL}, r.kind, r.score, CAST(SUM(r.times) AS BIGINT) AS n FROM survey_cell_scores r \
             WHERE {SCOPE} AND r.kind IN ($5, $6) GROUP BY {CELL}, r.kind, r.score"
        )),
        scope,
    )
    .bind(QuestionKind::Satisfaction.code())
    .bind(QuestionKind::Recommend.code())
    .fetch_all(db.pool())
    .await?;
    for row in &scores {
        let Some(cell) = cells.get_mut(&cell_key(row)?) else { continue };
        let Ok(score) = u8::try_from(row.try_get::<i64, _>("score")?) else { continue };
        let times = usize::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0);
        let kind: String = row.try_get("kind")?;
        match QuestionKind::from_code(&kind) {
            Some(QuestionKind::Satisfaction) => cell.satisfaction.extend(std::iter::repeat_n(score, times)),
            Some(QuestionKind::Recommend) => cell.recommend.extend(std::iter::repeat_n(score, times)),
            _ => {}
        }
    }
    // The engine's groups come in no order; the figures want the scores ascending.
    for cell in cells.values_mut() {
        cell.satisfaction.sort_unstable();
        cell.recommend.sort_unstable();
    }
    Ok(cells.into_values().collect())
}

/// A short-text answer for the dashboard's comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRecord {
    pub response_id: i64,
    pub month: String,
    pub text: String,
    /// The same response gave a satisfaction score of `low_score` or less.
    pub low: bool,
}

/// A page of the comments in `scope`, newest month first; a comment is
/// `low` when its response gave a satisfaction score of `low_score` or less.
pub async fn comments(
    db: &Database,
    scope: ResponseScope<'_>,
    low_score: u8,
    request: PageRequest,
) -> StorageResult<Page<CommentRecord>> {
    let from = format!(
        "FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id \
         WHERE {SCOPE} AND a.kind = $5 AND a.text_answer IS NOT NULL"
    );
    let total: i64 = scoped(sqlx::query(&format!("SELECT COUNT(*) AS n {from}")), scope)
        .bind(QuestionKind::ShortText.code())
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let (request, limit, offset) = page_window(request, total);
    let rows = scoped(
        // Whether a comment's response scored low is asked for the page's rows
        // only, after the page is cut.
        sqlx::query(&format!(
            "SELECT p.id, p.month, p.text_answer, \
               (SELECT COUNT(*) FROM survey_answers l WHERE l.response_id = p.id AND l.kind = $6 AND l.score <= $7) AS low \
             FROM (SELECT r.id, r.month, a.text_answer, a.question_key {from} \
                   ORDER BY r.month DESC, r.id DESC, a.question_key LIMIT $8 OFFSET $9) p \
             ORDER BY p.month DESC, p.id DESC, p.question_key"
        )),
        scope,
    )
    .bind(QuestionKind::ShortText.code())
    .bind(QuestionKind::Satisfaction.code())
    .bind(i64::from(low_score))
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .iter()
        .map(|row| {
            Ok(CommentRecord {
                response_id: row.try_get("id")?,
                month: row.try_get("month")?,
                text: row.try_get("text_answer")?,
                low: row.try_get::<i64, _>("low")? > 0,
            })
        })
        .collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}
