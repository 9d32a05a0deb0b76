//! Reports of requests: figures only, no person appears in one (C2, B8). The
//! staff page and the CSV and XLSX downloads read the same [`ReportView`].

use awn_domain::locale::Language;

use super::access::{Authorized, can};
use crate::{
    error::AppError,
    i18n::*,
    staff::reports::{ReportSection, ReportView},
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
    let sections = vec![
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
    Ok(ReportView { from: from.to_owned(), to: to.to_owned(), invalid, summary, sections })
}
