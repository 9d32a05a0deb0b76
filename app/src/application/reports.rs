//! Reports of requests, and of the deadlines kept (issue 14): figures only, no
//! person appears in one (C2, B8). The staff page and the CSV and XLSX
//! downloads read the same [`ReportView`].

use awn_domain::locale::Language;

use super::access::{Authorized, can};
use crate::{
    error::AppError,
    i18n::*,
    staff::reports::{DeadlineCell, DeadlineFigures, DeadlineRow, ReportSection, ReportView},
};

/// Who may read the report: staff who view it on the page, or download it.
pub trait ReadsReports {}
impl ReadsReports for Authorized<can::ViewReports> {}
impl ReadsReports for Authorized<can::ExportReports> {}

/// The report over `from`..=`to` (months typed "2026-01"; either may be empty)
/// in the words of `language`. Shared by the page and the downloads.
pub async fn request_report(
    database: &awn_storage::Database,
    _who: &impl ReadsReports,
    from: Option<&str>,
    to: Option<&str>,
    language: Language,
) -> Result<ReportView, AppError> {
    use awn_domain::{
        channels::Channel,
        reports::{month_range, parse_month},
        requests::RequestStatus,
    };

    use crate::{preferences::locale_of, requests::labels::status_text, staff::labels::channel_text};
    let locale = locale_of(language);
    let from = from.map(str::trim).unwrap_or_default();
    let to = to.map(str::trim).unwrap_or_default();
    let mut invalid = Vec::new();
    let mut month = |name: &str, text: &str| {
        if text.is_empty() {
            return None;
        }
        let parsed = parse_month(text);
        if parsed.is_none() {
            invalid.push(name.to_owned());
        }
        parsed
    };
    let (from_month, to_month) = (month("from", from), month("to", to));
    let (start, end) = month_range(from_month, to_month);
    let now = awn_storage::now_unix_seconds();
    let report = awn_storage::reports::request_report(database, start, end, now).await?;

    let none = td_string!(locale, reports.none).to_string();
    let summary = vec![
        (td_string!(locale, reports.total).to_string(), report.total.to_string()),
        (td_string!(locale, reports.decided).to_string(), report.decided_count.to_string()),
        (
            td_string!(locale, reports.median_days).to_string(),
            report.median_days_to_decision().map(|days| format!("{days:.1}")).unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(locale, reports.within_period).to_string(),
            report
                .share_decided_within_period_permille
                .map(|permille| format!("{:.1}%", f64::from(permille) / 10.0))
                .unwrap_or(none),
        ),
        (td_string!(locale, reports.overdue_now).to_string(), report.overdue_now.to_string()),
    ];
    let mut sections = vec![
        ReportSection {
            title: td_string!(locale, reports.by_status).to_string(),
            rows: report
                .by_status
                .iter()
                .map(|(code, count)| {
                    (
                        RequestStatus::from_code(code).map(|s| status_text(locale, s)).unwrap_or_else(|| code.clone()),
                        *count,
                    )
                })
                .collect(),
        },
        ReportSection {
            title: td_string!(locale, reports.by_kind).to_string(),
            rows: report
                .by_kind
                .iter()
                .map(|(_, name_ar, name_en, count)| {
                    (if language == Language::Arabic { name_ar.clone() } else { name_en.clone() }, *count)
                })
                .collect(),
        },
        ReportSection {
            title: td_string!(locale, reports.by_channel).to_string(),
            rows: report
                .by_channel
                .iter()
                .map(|(code, count)| {
                    (Channel::from_code(code).map(|c| channel_text(locale, c)).unwrap_or_else(|| code.clone()), *count)
                })
                .collect(),
        },
        ReportSection { title: td_string!(locale, reports.by_month).to_string(), rows: report.by_month.clone() },
        // The website's statistics: only visitors who allowed them are counted (B10).
        ReportSection {
            title: td_string!(locale, reports.page_views).to_string(),
            rows: {
                let since = awn_domain::calendar::DualDate::from_unix_seconds(now - 30 * 86_400).gregorian;
                let since = format!("{:04}-{:02}-{:02}", since.year, since.month, since.day);
                awn_storage::consent::page_views_since(database, &since).await?
            },
        },
    ];
    sections.extend(support_sections(database, locale, start, end).await?);
    let deadlines = deadline_figures(database, locale, start, end, now).await?;
    let volunteering =
        volunteering_figures(database, locale, from_month.is_some().then_some(from), to_month.is_some().then_some(to))
            .await?;
    Ok(ReportView { from: from.to_owned(), to: to.to_owned(), invalid, summary, sections, deadlines, volunteering })
}

/// Contributions by month over `[start, end)`: how many, from how many
/// supporters, and the money in whole riyals. Anonymous supporters are
/// counted; nobody is named (A1, B9).
async fn support_sections(
    database: &awn_storage::Database,
    locale: Locale,
    start: Option<i64>,
    end: Option<i64>,
) -> Result<Vec<ReportSection>, AppError> {
    let (from, to) = (start.map(awn_domain::improvements::iso_day), end.map(awn_domain::improvements::iso_day));
    let months = awn_storage::parties::contributions_by_month(database, from.as_deref(), to.as_deref()).await?;
    let section = |title: String, pick: fn(&(String, i64, i64, i64)) -> i64| ReportSection {
        title,
        rows: months.iter().map(|month| (month.0.clone(), pick(month))).collect(),
    };
    Ok(vec![
        section(td_string!(locale, reports.contributions_by_month).to_string(), |m| m.1),
        section(td_string!(locale, reports.supporters_by_month).to_string(), |m| m.2),
        section(td_string!(locale, reports.riyals_by_month).to_string(), |m| m.3 / 100),
    ])
}

/// The deadlines kept in `[start, end)` (either bound may be open) by rule and
/// month, and the items late `now` by rule: counts only, nobody's name.
async fn deadline_figures(
    database: &awn_storage::Database,
    locale: Locale,
    start: Option<i64>,
    end: Option<i64>,
    now: i64,
) -> Result<DeadlineFigures, AppError> {
    use awn_domain::deadlines::{ClockRule, on_time_percent};

    use crate::staff::labels::rule_text;
    let kept =
        awn_storage::reports::on_time_by_month(database, start.unwrap_or(i64::MIN), end.unwrap_or(i64::MAX)).await?;
    let late = awn_storage::reports::late_now_by_rule(database, now).await?;
    let mut months: Vec<String> = kept.iter().map(|row| row.month.clone()).collect();
    months.sort();
    months.dedup();
    let rows = ClockRule::ALL
        .into_iter()
        .filter_map(|rule| {
            let late_now = late.iter().find(|(r, _)| *r == rule).map_or(0, |(_, count)| *count);
            let cells: Vec<DeadlineCell> = months
                .iter()
                .map(|month| {
                    kept.iter().find(|row| row.rule == rule && row.month == *month).map_or_else(
                        DeadlineCell::default,
                        |row| DeadlineCell {
                            met: row.met,
                            on_time: row.on_time,
                            percent: on_time_percent(row.on_time, row.met),
                        },
                    )
                })
                .collect();
            let shown = late_now > 0 || cells.iter().any(|cell| cell.met > 0);
            shown.then(|| DeadlineRow { rule: rule.code().to_owned(), name: rule_text(locale, rule), cells, late_now })
        })
        .collect();
    Ok(DeadlineFigures { months, rows })
}

/// The deadline figures as the CSV and XLSX downloads lay them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineExport {
    /// The section's (or sheet's) title.
    pub title: String,
    /// Month, rule code, rule name, done, on time, percent: in words.
    pub header: [String; 6],
    /// One line per month and rule with something done ([`DeadlineFigures::export_rows`]).
    pub lines: Vec<[String; 6]>,
    /// The title of the count late now, and (rule name, count) per rule.
    pub late_title: String,
    pub late: Vec<(String, i64)>,
}

/// The report's deadline figures for a download, in the words of `language`.
pub fn deadline_export(figures: &DeadlineFigures, language: Language) -> DeadlineExport {
    let locale = crate::preferences::locale_of(language);
    let title = td_string!(locale, reports.deadlines.title).to_string();
    DeadlineExport {
        header: [
            td_string!(locale, reports.deadlines.month).to_string(),
            td_string!(locale, reports.deadlines.rule_code).to_string(),
            td_string!(locale, reports.deadlines.rule).to_string(),
            td_string!(locale, reports.deadlines.met).to_string(),
            td_string!(locale, reports.deadlines.on_time).to_string(),
            td_string!(locale, reports.deadlines.percent).to_string(),
        ],
        lines: figures.export_rows(),
        late_title: format!("{title}: {}", td_string!(locale, reports.deadlines.late_now)),
        late: figures.rows.iter().map(|row| (row.name.clone(), row.late_now)).collect(),
        title,
    }
}

/// Volunteers accepted and volunteer hours by month (A18), within the months
/// asked for ("2026-01"; `None`: no bound). Counts and sums only.
async fn volunteering_figures(
    database: &awn_storage::Database,
    locale: Locale,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<crate::staff::reports::FigureSection, AppError> {
    let months = awn_storage::volunteers::by_month(database).await?;
    let mut rows = Vec::new();
    for month in months {
        let after_start = from.is_none_or(|from| month.month.as_str() >= from.trim());
        let before_end = to.is_none_or(|to| month.month.as_str() <= to.trim());
        if !(after_start && before_end) {
            continue;
        }
        let accepted = td_string!(locale, volunteers.report_accepted).to_string();
        let hours = td_string!(locale, volunteers.report_hours).to_string();
        rows.push((format!("{} · {accepted}", month.month), month.accepted.to_string()));
        rows.push((format!("{} · {hours}", month.month), awn_domain::volunteers::hours_text(month.half_hours)));
    }
    Ok(crate::staff::reports::FigureSection { title: td_string!(locale, volunteers.report_title).to_string(), rows })
}
