//! The satisfaction dashboard's figures (C2, C3): aggregates only, a group of
//! fewer than five responses shows its size and no figure, and never a figure
//! per staff member. The page and the CSV download read the same view.

use awn_domain::locale::Language;

use super::access::{Authorized, can};
pub use crate::staff::satisfaction::DashboardQuery;
use crate::{
    error::AppError,
    i18n::*,
    staff::satisfaction::{CommentRow, FigureRow, SatisfactionView},
};

/// Who may read the dashboard: staff who view it, or download its figures.
pub trait ReadsSatisfaction {}
impl ReadsSatisfaction for Authorized<can::ViewSatisfaction> {}
impl ReadsSatisfaction for Authorized<can::ExportReports> {}

fn percent(permille: u32) -> String {
    format!("{:.1}%", f64::from(permille) / 10.0)
}

fn figure_row(label: String, group: &awn_domain::surveys::Group<impl Clone>, rate: Option<String>) -> FigureRow {
    FigureRow {
        label,
        responses: group.responses,
        shown: group.figures.is_some(),
        csat: group.figures.as_ref().and_then(|f| f.csat).map(percent),
        nps: group.figures.as_ref().and_then(|f| f.nps).map(|nps| nps.to_string()),
        rate,
    }
}

/// The dashboard in the words of `language`, with the page `comments` of the
/// comments. Shared by the page and the CSV.
pub async fn dashboard(
    database: &awn_storage::Database,
    _who: &impl ReadsSatisfaction,
    query: &DashboardQuery,
    language: Language,
    comments: awn_domain::paging::PageRequest,
) -> Result<SatisfactionView, AppError> {
    use awn_domain::{
        channels::Channel,
        reports::parse_month,
        staff::StaffRole,
        surveys::{LOW_CSAT, response_rate, split_counted},
    };

    use crate::{
        preferences::locale_of,
        staff::labels::{channel_text, role_text},
    };
    let locale = locale_of(language);
    let arabic = language == Language::Arabic;
    let mut invalid = Vec::new();
    let mut month = |name: &str, text: &Option<String>| {
        let text = text.as_deref().map(str::trim).unwrap_or_default();
        if text.is_empty() {
            return None;
        }
        match parse_month(text) {
            Some((year, month)) => Some(format!("{year:04}-{month:02}")),
            None => {
                invalid.push(name.to_owned());
                None
            }
        }
    };
    let (from, to) = (month("from", &query.from), month("to", &query.to));
    let all_surveys = awn_storage::surveys::list(database).await?;
    let survey = query
        .survey
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|id| all_surveys.iter().any(|s| s.id == *id));
    let scope = awn_storage::surveys::ResponseScope {
        survey_id: survey,
        from: from.as_deref(),
        to: to.as_deref(),
        staff_id: None,
    };
    let cells = awn_storage::surveys::response_cells(database, scope).await?;
    let sent = awn_storage::surveys::invitations_by_month(database, survey, from.as_deref(), to.as_deref()).await?;

    type Cell = awn_storage::surveys::ResponseCell;
    fn counted<K>(key: K, c: &Cell) -> (K, usize, &[u8], &[u8]) {
        (key, c.responses, c.satisfaction.as_slice(), c.recommend.as_slice())
    }
    let overall_group = split_counted(cells.iter().map(|c| counted((), c)))
        .into_iter()
        .next()
        .unwrap_or(awn_domain::surveys::Group { key: (), responses: 0, figures: None });
    let total_sent: i64 = sent.iter().map(|(_, n)| *n).sum();
    let answered_by_message: usize = cells.iter().filter(|c| c.by_message).map(|c| c.responses).sum();
    let overall = figure_row(
        td_string!(locale, satisfaction.overall).to_string(),
        &overall_group,
        response_rate(answered_by_message, usize::try_from(total_sent).unwrap_or(0)).map(percent),
    );

    let months = split_counted(cells.iter().map(|c| counted(c.month.clone(), c)));
    let by_month: Vec<FigureRow> = months
        .iter()
        .map(|group| {
            let sent_then = sent.iter().find(|(m, _)| *m == group.key).map_or(0, |(_, n)| *n);
            let answered: usize =
                cells.iter().filter(|c| c.by_message && c.month == group.key).map(|c| c.responses).sum();
            let rate = response_rate(answered, usize::try_from(sent_then).unwrap_or(0)).map(percent);
            figure_row(group.key.clone(), group, rate)
        })
        .collect();

    let kinds = awn_storage::support_kinds::active(database).await?;
    let kind_name = |code: &str| {
        kinds
            .iter()
            .find(|k| k.code == code)
            .map(|k| if arabic { k.name_ar.clone() } else { k.name_en.clone() })
            .unwrap_or_else(|| code.to_owned())
    };
    let unknown = td_string!(locale, satisfaction.not_applicable).to_string();
    let split_rows = |key: &dyn Fn(&Cell) -> Option<String>, label: &dyn Fn(&str) -> String| {
        split_counted(cells.iter().map(|c| counted(key(c), c)))
            .iter()
            .map(|group| figure_row(group.key.as_deref().map(label).unwrap_or_else(|| unknown.clone()), group, None))
            .collect::<Vec<_>>()
    };
    let splits = vec![
        (
            td_string!(locale, satisfaction.by_channel).to_string(),
            split_rows(&|c| c.channel.clone(), &|code| {
                Channel::from_code(code).map(|c| channel_text(locale, c)).unwrap_or_else(|| code.to_owned())
            }),
        ),
        (td_string!(locale, satisfaction.by_kind).to_string(), split_rows(&|c| c.service_kind.clone(), &kind_name)),
        (
            td_string!(locale, satisfaction.by_team).to_string(),
            split_rows(&|c| c.team.clone(), &|code| {
                StaffRole::from_code(code).map(|role| role_text(locale, role)).unwrap_or_else(|| code.to_owned())
            }),
        ),
    ];

    // Comments only from a set of responses large enough not to single anyone out.
    let (comments, comment_pages) = if overall_group.figures.is_some() {
        let page = awn_storage::surveys::comments(database, scope, LOW_CSAT, comments).await?;
        let (records, pages) = page.split();
        let rows = records
            .into_iter()
            .map(|r| CommentRow { response_id: r.response_id, month: r.month, text: r.text, low: r.low })
            .collect();
        (rows, pages)
    } else {
        awn_domain::paging::Page::new(Vec::new(), 0, comments).split()
    };

    let csat_points: Vec<(String, f64)> =
        months.iter().filter_map(|g| Some((g.key.clone(), f64::from(g.figures.as_ref()?.csat?) / 10.0))).collect();
    let nps_points: Vec<(String, f64)> =
        months.iter().filter_map(|g| Some((g.key.clone(), f64::from(g.figures.as_ref()?.nps?)))).collect();
    let csat_chart =
        crate::staff::charts::line_chart(&csat_points, 0.0..100.0, td_string!(locale, satisfaction.csat_trend), &|v| {
            format!("{v:.0}%")
        });
    let nps_chart = crate::staff::charts::line_chart(
        &nps_points,
        -100.0..100.0,
        td_string!(locale, satisfaction.nps_trend),
        &|v| format!("{v:.0}"),
    );

    Ok(SatisfactionView {
        query: DashboardQuery {
            survey: survey.map(|id| id.to_string()),
            from: query.from.clone().map(|f| f.trim().to_owned()),
            to: query.to.clone().map(|t| t.trim().to_owned()),
        },
        invalid,
        surveys: all_surveys.iter().map(|s| (s.id, s.title(arabic).to_owned())).collect(),
        overall,
        by_month,
        splits,
        comments,
        comment_pages,
        csat_chart,
        nps_chart,
    })
}

/// The dashboard as rows for a CSV: a header, then one row per group.
pub async fn dashboard_table(
    database: &awn_storage::Database,
    who: &Authorized<can::ExportReports>,
    query: &DashboardQuery,
    language: Language,
) -> Result<Vec<Vec<String>>, AppError> {
    use crate::preferences::locale_of;
    let locale = locale_of(language);
    // The CSV holds the figures only, never the comments.
    let view = dashboard(database, who, query, language, awn_domain::paging::PageRequest::default()).await?;
    let hidden = td_string!(locale, satisfaction.too_few).to_string();
    let mut rows = vec![vec![
        td_string!(locale, satisfaction.group).to_string(),
        td_string!(locale, satisfaction.what).to_string(),
        td_string!(locale, satisfaction.responses).to_string(),
        td_string!(locale, satisfaction.csat).to_string(),
        td_string!(locale, satisfaction.nps).to_string(),
        td_string!(locale, satisfaction.rate).to_string(),
    ]];
    let mut push = |group: &str, row: &FigureRow| {
        let figure =
            |value: &Option<String>| if row.shown { value.clone().unwrap_or_default() } else { hidden.clone() };
        rows.push(vec![
            group.to_owned(),
            row.label.clone(),
            row.responses.to_string(),
            figure(&row.csat),
            figure(&row.nps),
            row.rate.clone().unwrap_or_default(),
        ]);
    };
    push(td_string!(locale, satisfaction.overall), &view.overall);
    let by_month = td_string!(locale, satisfaction.by_month).to_string();
    for row in &view.by_month {
        push(&by_month, row);
    }
    for (title, split) in &view.splits {
        for row in split {
            push(title, row);
        }
    }
    Ok(rows)
}

/// `staff`'s own satisfaction figures, from the responses that name them:
/// theirs alone, nobody else sees them (C2), and hidden below five responses.
pub async fn own_figures(
    database: &awn_storage::Database,
    staff: &awn_storage::staff::StaffAccount,
) -> Result<crate::staff::feedback::MyFigures, crate::error::AppError> {
    let scope = awn_storage::surveys::ResponseScope { staff_id: Some(staff.id), ..Default::default() };
    let mine = awn_storage::surveys::response_cells(database, scope).await?;
    let satisfaction: Vec<u8> = mine.iter().flat_map(|c| c.satisfaction.iter().copied()).collect();
    let recommend: Vec<u8> = mine.iter().flat_map(|c| c.recommend.iter().copied()).collect();
    let responses: usize = mine.iter().map(|c| c.responses).sum();
    let figures = awn_domain::surveys::group_figures(responses, &satisfaction, &recommend);
    Ok(crate::staff::feedback::MyFigures {
        responses,
        shown: figures.is_some(),
        csat: figures.as_ref().and_then(|f| f.csat).map(|p| format!("{:.1}%", f64::from(p) / 10.0)),
        nps: figures.as_ref().and_then(|f| f.nps).map(|n| n.to_string()),
    })
}
