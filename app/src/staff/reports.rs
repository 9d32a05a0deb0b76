//! Reports (`/staff/reports`): requests by state, kind, channel and month over a
//! chosen span of months, the median time to the committee's decision and the
//! share decided within the period (A13); downloadable as CSV and XLSX by the
//! server routes `/staff/reports/requests.csv` and `.xlsx`, which build the same
//! [`ReportView`]; and the deadlines kept by rule and month ([`deadlines`]).
//! Figures only: no person appears in a report.

mod deadlines;

pub use deadlines::{DeadlineCell, DeadlineFigures, DeadlineRow, DeadlinesKept};

#[cfg(feature = "ssr")]
use crate::application::access::can;

use awn_domain::{locale::Language, staff::Permission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{StaffSession, sign_in::StaffGate};
use crate::{
    components::{messages::ErrorMessage, table::TableScroll},
    error::AppError,
    i18n::*,
    preferences::language_of,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSection {
    pub title: String,
    /// (what, how many)
    pub rows: Vec<(String, i64)>,
}

/// Figures that are not counts (hours): (what, value in words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureSection {
    pub title: String,
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// The months asked for, as typed back into the form ("2026-01").
    pub from: String,
    pub to: String,
    /// Fields whose month could not be read (they were left out).
    pub invalid: Vec<String>,
    /// (what, value), already in words.
    pub summary: Vec<(String, String)>,
    pub sections: Vec<ReportSection>,
    /// The deadlines kept over the same months, by rule, and those late now.
    pub deadlines: DeadlineFigures,
    /// Volunteering by month (A18): volunteers accepted and hours given, no names.
    pub volunteering: FigureSection,
}

/// The report over `from`..=`to` (months typed "2026-01"; either may be empty)
/// in the words of `language`: see [`crate::application::reports::request_report`].
#[server(endpoint = "staff/reports")]
pub async fn load_report(from: Option<String>, to: Option<String>, language: Language) -> Result<ReportView, AppError> {
    let staff = super::authorize::<can::ViewReports>().await?;
    let context = crate::state::app_context()?;
    crate::application::reports::request_report(&context.database, &staff, from.as_deref(), to.as_deref(), language)
        .await
}

#[component]
pub fn StaffReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || (query.with(|q| q.get("from")), query.with(|q| q.get("to")), language_of(i18n.get_locale())),
        |(from, to, language)| load_report(from, to, language),
    );
    view! { <StaffGate children=move |session| view! { <ReportPage session page/> }/> }
}

/// The "from" and "to" months of a report's filters ("2026-01"), each with its
/// message when it could not be read.
#[component]
pub fn MonthSpan(id_prefix: &'static str, from: String, to: String, invalid: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |name: &'static str, value: String, placeholder: &'static str| {
        let id = format!("{id_prefix}-{name}");
        let bad = invalid.iter().any(|f| f == name);
        let label = if name == "from" { t_string!(i18n, reports.from) } else { t_string!(i18n, reports.to) };
        view! {
            <div class="field" class:field--invalid=bad>
                <label class="field__label" for=id.clone()>{label}</label>
                <input class="field__input" id=id name=name type="month" dir="ltr" placeholder=placeholder value=value/>
                {bad.then(|| view! { <p class="field__error" role="alert">{t!(i18n, reports.bad_month)}</p> })}
            </div>
        }
    };
    view! { {field("from", from, "2026-01")} {field("to", to, "2026-12")} }
}

#[component]
fn ReportPage(session: StaffSession, page: Resource<Result<ReportView, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let may_export = session.may(Permission::ExportReports);
    view! {
        <Title text=t_string!(i18n, reports.title).to_string()/>
        <h1>{t!(i18n, reports.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(report) => {
                        let query = format!(
                            "?from={}&to={}",
                            form_urlencoded::byte_serialize(report.from.as_bytes()).collect::<String>(),
                            form_urlencoded::byte_serialize(report.to.as_bytes()).collect::<String>()
                        );
                        view! {
                            <form method="get" action="/staff/reports" class="form filters">
                                <MonthSpan id_prefix="report" from=report.from.clone() to=report.to.clone()
                                    invalid=report.invalid.clone()/>
                                <button class="button" type="submit">{t!(i18n, staff.filter_apply)}</button>
                            </form>
                            {may_export.then(|| view! {
                                <p class="page-actions">
                                    <a class="button" href=format!("/staff/reports/requests.csv{query}") download="" rel="external">
                                        {t!(i18n, reports.download_csv)}
                                    </a>
                                    " "
                                    <a class="button" href=format!("/staff/reports/requests.xlsx{query}") download="" rel="external">
                                        {t!(i18n, reports.download_xlsx)}
                                    </a>
                                    " "
                                    <a class="button" href="/staff/reports/research.csv" download="" rel="external">
                                        {t!(i18n, reports.download_research)}
                                    </a>
                                </p>
                            })}
                            <section class="card">
                                <dl class="facts report-summary">
                                    {report.summary.iter().map(|(what, value)| view! {
                                        <dt>{what.clone()}</dt><dd><bdi>{value.clone()}</bdi></dd>
                                    }).collect_view()}
                                </dl>
                            </section>
                            <DeadlinesKept figures=report.deadlines.clone()/>
                            <VolunteeringFigures section=report.volunteering.clone()/>
                            {report.sections.iter().map(|section| {
                                let largest = section.rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
                                let rows = section.rows.clone();
                                view! {
                                    <section class="card">
                                        <h2>{section.title.clone()}</h2>
                                        {if section.rows.is_empty() {
                                            view! { <p>{t!(i18n, reports.no_requests)}</p> }.into_any()
                                        } else {
                                            view! {
                                                <TableScroll label=section.title.clone()>
                                                <table class="report-table">
                                                    <tbody>
                                                        {rows.into_iter().map(|(what, count)| {
                                                            view! {
                                                                <tr>
                                                                    <th scope="row">{what}</th>
                                                                    <td class="report-table__count">{count}</td>
                                                                    <td class="report-table__bar" aria-hidden="true">
                                                                        <meter min="0" max=largest value=count></meter>
                                                                    </td>
                                                                </tr>
                                                            }
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                                </TableScroll>
                                            }.into_any()
                                        }}
                                    </section>
                                }
                            }).collect_view()}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Volunteers accepted and hours given, month by month.
#[component]
fn VolunteeringFigures(section: FigureSection) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" id="report-volunteering">
            <h2>{section.title.clone()}</h2>
            {if section.rows.is_empty() {
                view! { <p>{t!(i18n, volunteers.empty)}</p> }.into_any()
            } else {
                view! {
                    <TableScroll label=section.title.clone()>
                    <table class="report-table">
                        <tbody>
                            {section.rows.into_iter().map(|(what, value)| view! {
                                <tr><th scope="row">{what}</th><td class="report-table__count"><bdi>{value}</bdi></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </TableScroll>
                }.into_any()
            }}
        </section>
    }
}
