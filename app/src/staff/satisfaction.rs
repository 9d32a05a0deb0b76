//! The satisfaction dashboard (`/staff/satisfaction`, C2, C3): CSAT (the share
//! of 4s and 5s), NPS and the response rate, by month with their trend, and split
//! by channel, kind of service and team; the comments; a CSV download
//! (`/staff/satisfaction.csv`, built from the same [`SatisfactionView`]).
//!
//! Aggregates only: a group of fewer than five responses shows its size and no
//! figure, and no figure is ever given per staff member (each sees their own on
//! `/staff/feedback`).

#[cfg(feature = "ssr")]
use crate::application::access::can;

use awn_domain::{locale::Language, staff::Permission};
use leptos::{prelude::*, text_prop::TextProp};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{StaffSession, sign_in::StaffGate};
use crate::{
    components::{messages::ErrorMessage, pager::Pager, table::TableScroll},
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

/// Comments on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const COMMENTS_PER_PAGE: u32 = 50;

#[server(endpoint = "staff/satisfaction")]
pub async fn load_satisfaction(
    survey: Option<String>,
    from: Option<String>,
    to: Option<String>,
    language: Language,
    page: Option<String>,
) -> Result<SatisfactionView, AppError> {
    let staff = super::authorize::<can::ViewSatisfaction>().await?;
    let context = crate::state::app_context()?;
    let comments = awn_domain::paging::PageRequest::from_query(page.as_deref(), COMMENTS_PER_PAGE);
    let query = DashboardQuery { survey, from, to };
    crate::application::satisfaction::dashboard(&context.database, &staff, &query, language, comments).await
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
fn FigureTable(rows: Vec<FigureRow>, with_rate: bool, #[prop(into)] label: TextProp) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableScroll label>
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
        </TableScroll>
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
                                    view! { <FigureTable rows=view.by_month.clone() with_rate=true label=move || t_string!(i18n, satisfaction.by_month).to_string()/> }.into_any()
                                }}
                            </section>
                            {view.splits.iter().map(|(title, rows)| { let label = title.clone(); view! {
                                <section class="card">
                                    <h2>{title.clone()}</h2>
                                    {if rows.is_empty() {
                                        view! { <p>{t!(i18n, satisfaction.no_responses)}</p> }.into_any()
                                    } else {
                                        view! { <FigureTable rows=rows.clone() with_rate=false label=label.clone()/> }.into_any()
                                    }}
                                </section>
                            }}).collect_view()}
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
