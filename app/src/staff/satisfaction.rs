//! The satisfaction dashboard (`/staff/satisfaction`, C2, C3): CSAT (the share
//! of 4s and 5s), NPS and the response rate, by month with their trend, and split
//! by channel, kind of service and team; the comments; a CSV download
//! (`/staff/satisfaction.csv`, built from the same [`SatisfactionView`]).
//!
//! Aggregates only: a group of fewer than five responses shows its size and no
//! figure, and no figure is ever given per staff member (each sees their own on
//! `/staff/feedback`).

use awn_domain::{locale::Language, staff::Permission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{StaffSession, sign_in::StaffGate};
use crate::{
    components::{messages::ErrorMessage, pager::Pager},
    error::AppError,
    i18n::*,
    preferences::language_of,
};

/// The dashboard's filters, as the page's query and the CSV's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardQuery {
    pub survey: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One line of figures, already in words; `None` figures for a small group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureRow {
    pub label: String,
    pub responses: usize,
    /// Whether the group is large enough for its figures to be shown.
    pub shown: bool,
    pub csat: Option<String>,
    pub nps: Option<String>,
    /// By month only: the share of invitations sent that month answered.
    pub rate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRow {
    pub response_id: i64,
    pub month: String,
    pub text: String,
    /// A satisfaction score of 2 or less came with it: worth an improvement action.
    pub low: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionView {
    pub query: DashboardQuery,
    /// Filters that could not be read (left out).
    pub invalid: Vec<String>,
    /// (id, title) of every survey, for the filter.
    pub surveys: Vec<(i64, String)>,
    pub overall: FigureRow,
    pub by_month: Vec<FigureRow>,
    /// (title, rows) for channel, kind of service and team.
    pub splits: Vec<(String, Vec<FigureRow>)>,
    /// A page of the comments, newest first.
    pub comments: Vec<CommentRow>,
    /// Where that page sits among all the comments.
    pub comment_pages: awn_domain::paging::PagePosition,
    /// SVG line charts (CSAT and NPS by month), when there are two months to draw.
    pub csat_chart: Option<String>,
    pub nps_chart: Option<String>,
}

#[cfg(feature = "ssr")]
fn percent(permille: u32) -> String {
    format!("{:.1}%", f64::from(permille) / 10.0)
}

#[cfg(feature = "ssr")]
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

/// Comments on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const COMMENTS_PER_PAGE: u32 = 50;

/// The dashboard in the words of `language`, with the page `comments` of the
/// comments. Shared by the page and the CSV.
#[cfg(feature = "ssr")]
pub async fn build_dashboard(
    database: &awn_storage::Database,
    query: &DashboardQuery,
    language: Language,
    comments: awn_domain::paging::PageRequest,
) -> Result<SatisfactionView, AppError> {
    use awn_domain::{
        channels::Channel,
        reports::parse_month,
        staff::StaffRole,
        surveys::{LOW_CSAT, response_rate, split_by},
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
    let responses = awn_storage::surveys::responses(database, survey, from.as_deref(), to.as_deref()).await?;
    let sent = awn_storage::surveys::invitations_by_month(database, survey, from.as_deref(), to.as_deref()).await?;

    fn scores(r: &awn_storage::surveys::ResponseRecord) -> (&[u8], &[u8]) {
        (r.satisfaction.as_slice(), r.recommend.as_slice())
    }
    let overall_group = split_by(responses.iter().map(|r| ((), scores(r).0, scores(r).1)))
        .into_iter()
        .next()
        .unwrap_or(awn_domain::surveys::Group { key: (), responses: 0, figures: None });
    let total_sent: i64 = sent.iter().map(|(_, n)| *n).sum();
    let answered_by_message = responses.iter().filter(|r| r.by_message).count();
    let overall = figure_row(
        td_string!(locale, satisfaction.overall).to_string(),
        &overall_group,
        response_rate(answered_by_message, usize::try_from(total_sent).unwrap_or(0)).map(percent),
    );

    let months = split_by(responses.iter().map(|r| (r.month.clone(), scores(r).0, scores(r).1)));
    let by_month: Vec<FigureRow> = months
        .iter()
        .map(|group| {
            let sent_then = sent.iter().find(|(m, _)| *m == group.key).map_or(0, |(_, n)| *n);
            let answered = responses.iter().filter(|r| r.by_message && r.month == group.key).count();
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
    let split_rows = |key: &dyn Fn(&awn_storage::surveys::ResponseRecord) -> Option<String>,
                      label: &dyn Fn(&str) -> String| {
        split_by(responses.iter().map(|r| (key(r), scores(r).0, scores(r).1)))
            .iter()
            .map(|group| figure_row(group.key.as_deref().map(label).unwrap_or_else(|| unknown.clone()), group, None))
            .collect::<Vec<_>>()
    };
    let splits = vec![
        (
            td_string!(locale, satisfaction.by_channel).to_string(),
            split_rows(&|r| r.channel.clone(), &|code| {
                Channel::from_code(code).map(|c| channel_text(locale, c)).unwrap_or_else(|| code.to_owned())
            }),
        ),
        (td_string!(locale, satisfaction.by_kind).to_string(), split_rows(&|r| r.service_kind.clone(), &kind_name)),
        (
            td_string!(locale, satisfaction.by_team).to_string(),
            split_rows(&|r| r.team.clone(), &|code| {
                StaffRole::from_code(code).map(|role| role_text(locale, role)).unwrap_or_else(|| code.to_owned())
            }),
        ),
    ];

    // Comments only from a set of responses large enough not to single anyone out.
    let all_comments: Vec<CommentRow> = if overall_group.figures.is_some() {
        responses
            .iter()
            .rev()
            .flat_map(|r| {
                let low = r.satisfaction.iter().any(|s| *s <= LOW_CSAT);
                r.comments.iter().map(move |text| CommentRow {
                    response_id: r.id,
                    month: r.month.clone(),
                    text: text.clone(),
                    low,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let total_comments = u64::try_from(all_comments.len()).unwrap_or(u64::MAX);
    let comments = comments.within(total_comments);
    let (comments, comment_pages) = awn_domain::paging::Page::new(
        all_comments
            .into_iter()
            .skip(usize::try_from(comments.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(comments.per_page()).unwrap_or(usize::MAX))
            .collect(),
        total_comments,
        comments,
    )
    .split();

    let csat_points: Vec<(String, f64)> =
        months.iter().filter_map(|g| Some((g.key.clone(), f64::from(g.figures.as_ref()?.csat?) / 10.0))).collect();
    let nps_points: Vec<(String, f64)> =
        months.iter().filter_map(|g| Some((g.key.clone(), f64::from(g.figures.as_ref()?.nps?)))).collect();
    let csat_chart =
        super::charts::line_chart(&csat_points, 0.0..100.0, td_string!(locale, satisfaction.csat_trend), &|v| {
            format!("{v:.0}%")
        });
    let nps_chart =
        super::charts::line_chart(&nps_points, -100.0..100.0, td_string!(locale, satisfaction.nps_trend), &|v| {
            format!("{v:.0}")
        });

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
#[cfg(feature = "ssr")]
pub async fn build_dashboard_table(
    database: &awn_storage::Database,
    query: &DashboardQuery,
    language: Language,
    _staff_id: i64,
) -> Result<Vec<Vec<String>>, AppError> {
    use crate::preferences::locale_of;
    let locale = locale_of(language);
    // The CSV holds the figures only, never the comments.
    let view = build_dashboard(database, query, language, awn_domain::paging::PageRequest::default()).await?;
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

#[server(endpoint = "staff/satisfaction")]
pub async fn load_satisfaction(
    survey: Option<String>,
    from: Option<String>,
    to: Option<String>,
    language: Language,
    page: Option<String>,
) -> Result<SatisfactionView, AppError> {
    let _staff = super::access::require(Permission::ViewSatisfaction).await?;
    let context = crate::state::app_context()?;
    let comments = awn_domain::paging::PageRequest::from_query(page.as_deref(), COMMENTS_PER_PAGE);
    build_dashboard(&context.database, &DashboardQuery { survey, from, to }, language, comments).await
}

#[component]
pub fn StaffSatisfactionPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let filters =
                query.with(|q| DashboardQuery { survey: q.get("survey"), from: q.get("from"), to: q.get("to") });
            (filters, language_of(i18n.get_locale()), query.with(|q| q.get("page")))
        },
        |(filters, language, page)| load_satisfaction(filters.survey, filters.from, filters.to, language, page),
    );
    view! { <StaffGate children=move |session| view! { <Dashboard session page/> }/> }
}

#[component]
fn FigureTable(rows: Vec<FigureRow>, with_rate: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="report-table figures">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, satisfaction.what)}</th>
                        <th scope="col">{t!(i18n, satisfaction.responses)}</th>
                        <th scope="col">{t!(i18n, satisfaction.csat)}</th>
                        <th scope="col">{t!(i18n, satisfaction.nps)}</th>
                        {with_rate.then(|| view! { <th scope="col">{t!(i18n, satisfaction.rate)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let shown = row.shown;
                        view! {
                            <tr>
                                <th scope="row"><bdi>{row.label.clone()}</bdi></th>
                                <td><bdi>{row.responses}</bdi></td>
                                {if shown {
                                    view! {
                                        <td><bdi>{row.csat.clone().unwrap_or_else(|| "—".into())}</bdi></td>
                                        <td><bdi>{row.nps.clone().unwrap_or_else(|| "—".into())}</bdi></td>
                                    }.into_any()
                                } else {
                                    view! { <td colspan="2" class="figures__hidden">{t!(i18n, satisfaction.too_few)}</td> }.into_any()
                                }}
                                {with_rate.then(|| view! { <td><bdi>{row.rate.clone().unwrap_or_else(|| "—".into())}</bdi></td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Dashboard(session: StaffSession, page: Resource<Result<SatisfactionView, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let may_export = session.may(Permission::ExportReports);
    let may_act = session.may(Permission::ManageImprovements);
    view! {
        <Title text=t_string!(i18n, satisfaction.title).to_string()/>
        <h1>{t!(i18n, satisfaction.title)}</h1>
        <p>{t!(i18n, satisfaction.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(view) => {
                        let encode = |text: &Option<String>| form_urlencoded::byte_serialize(text.as_deref().unwrap_or_default().as_bytes()).collect::<String>();
                        let query = format!("?survey={}&from={}&to={}", encode(&view.query.survey), encode(&view.query.from), encode(&view.query.to));
                        let chosen = view.query.survey.clone().unwrap_or_default();
                        view! {
                            <form method="get" action="/staff/satisfaction" class="form filters">
                                <div class="field">
                                    <label class="field__label" for="satisfaction-survey">{t!(i18n, satisfaction.survey)}</label>
                                    <select class="field__input" id="satisfaction-survey" name="survey">
                                        <option value="">{t!(i18n, satisfaction.all_surveys)}</option>
                                        {view.surveys.iter().map(|(id, title)| {
                                            let value = id.to_string();
                                            let selected = value == chosen;
                                            view! { <option value=value selected=selected>{title.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <super::reports::MonthSpan id_prefix="satisfaction"
                                    from=view.query.from.clone().unwrap_or_default() to=view.query.to.clone().unwrap_or_default()
                                    invalid=view.invalid.clone()/>
                                <button class="button" type="submit">{t!(i18n, staff.filter_apply)}</button>
                            </form>
                            {may_export.then(|| view! {
                                <p class="page-actions">
                                    <a class="button" href=format!("/staff/satisfaction.csv{query}") download="" rel="external">
                                        {t!(i18n, reports.download_csv)}
                                    </a>
                                </p>
                            })}
                            <section class="card" id="satisfaction-overall">
                                <h2>{t!(i18n, satisfaction.overall)}</h2>
                                {if view.overall.shown {
                                    view! {
                                        <dl class="facts report-summary">
                                            <dt>{t!(i18n, satisfaction.responses)}</dt><dd><bdi>{view.overall.responses}</bdi></dd>
                                            <dt>{t!(i18n, satisfaction.csat)}</dt><dd><bdi>{view.overall.csat.clone().unwrap_or_else(|| "—".into())}</bdi></dd>
                                            <dt>{t!(i18n, satisfaction.nps)}</dt><dd><bdi>{view.overall.nps.clone().unwrap_or_else(|| "—".into())}</bdi></dd>
                                            <dt>{t!(i18n, satisfaction.rate)}</dt><dd><bdi>{view.overall.rate.clone().unwrap_or_else(|| "—".into())}</bdi></dd>
                                        </dl>
                                    }.into_any()
                                } else {
                                    view! {
                                        <p class="notice" role="status">
                                            {t!(i18n, satisfaction.too_few_overall)} " (" <bdi>{view.overall.responses}</bdi> ")"
                                        </p>
                                    }.into_any()
                                }}
                                <p class="field__hint">{t!(i18n, satisfaction.definitions)}</p>
                            </section>
                            <section class="card">
                                <h2>{t!(i18n, satisfaction.by_month)}</h2>
                                <div class="charts" dir="ltr">
                                    {view.csat_chart.clone().map(|svg| view! { <figure class="chart" inner_html=svg></figure> })}
                                    {view.nps_chart.clone().map(|svg| view! { <figure class="chart" inner_html=svg></figure> })}
                                </div>
                                {if view.by_month.is_empty() {
                                    view! { <p>{t!(i18n, satisfaction.no_responses)}</p> }.into_any()
                                } else {
                                    view! { <FigureTable rows=view.by_month.clone() with_rate=true/> }.into_any()
                                }}
                            </section>
                            {view.splits.iter().map(|(title, rows)| view! {
                                <section class="card">
                                    <h2>{title.clone()}</h2>
                                    {if rows.is_empty() {
                                        view! { <p>{t!(i18n, satisfaction.no_responses)}</p> }.into_any()
                                    } else {
                                        view! { <FigureTable rows=rows.clone() with_rate=false/> }.into_any()
                                    }}
                                </section>
                            }).collect_view()}
                            <section class="card">
                                <h2>{t!(i18n, satisfaction.comments)}</h2>
                                {if view.comments.is_empty() {
                                    view! { <p>{t!(i18n, satisfaction.no_comments)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="comments">
                                            {view.comments.iter().map(|comment| {
                                                let act = format!("/staff/improvements?response={}", comment.response_id);
                                                view! {
                                                    <li class="comment" class:comment--low=comment.low>
                                                        <p>{comment.text.clone()}</p>
                                                        <p class="field__hint"><bdi>{comment.month.clone()}</bdi>
                                                            {comment.low.then(|| view! { " · " {t!(i18n, satisfaction.low_score)} })}
                                                        </p>
                                                        {may_act.then(|| view! { <a href=act>{t!(i18n, improvements.make_action)}</a> })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <Pager position=view.comment_pages/>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
