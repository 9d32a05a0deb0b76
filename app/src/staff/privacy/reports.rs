//! Violation reports (`/staff/privacy-reports`, B12): tracked to an outcome,
//! with the breach notification deadline.

use awn_domain::paging::PagePosition;
#[cfg(feature = "ssr")]
use awn_domain::paging::PageRequest;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::application::{access::can, privacy as use_case};
use crate::{
    components::{
        dates::DualDateText,
        form::{SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
        pager::Pager,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    staff::sign_in::StaffGate,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: i64,
    /// "website", "social_media" or "email".
    pub source: String,
    pub reporter: String,
    pub description: String,
    pub status: awn_domain::privacy::ReportStatus,
    pub is_breach: bool,
    pub notification_due_at: Option<i64>,
    /// Minutes left to notify (negative when late), on every open report not
    /// yet notified: the 72 hours run from the moment the association became
    /// aware, before anyone has decided whether it is a breach.
    pub minutes_left: Option<i64>,
    pub notified_at: Option<i64>,
    pub affected_informed_at: Option<i64>,
    pub outcome: Option<String>,
    pub handled_by: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsPage {
    pub reports: Vec<ReportItem>,
    /// Where this page sits among all the reports.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

#[cfg(feature = "ssr")]
const PAGE_PATH: &str = "/staff/privacy-reports";
const RECORD_REPORT_FORM: &str = "record-report";

fn close_form(id: i64) -> String {
    format!("close-report-{id}")
}

#[server(endpoint = "staff/privacy_reports")]
pub async fn load_privacy_reports(page: Option<String>) -> Result<ReportsPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = crate::staff::authorize::<can::HandlePrivacyReport>().await?;
    let request = PageRequest::from_query(page.as_deref(), super::PER_PAGE);
    let (reports, pages) = use_case::reports(&context.database, &staff, request).await?;
    Ok(ReportsPage { reports, pages, problem: crate::forms::take_flash() })
}

/// A report received by social media or email, recorded by the privacy officer.
#[server(endpoint = "staff/privacy_reports/record")]
pub async fn record_privacy_report(
    source: Option<String>,
    reporter_name: Option<String>,
    reporter_contact: Option<String>,
    description: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::HandlePrivacyReport>().await?;
    let context = crate::state::app_context()?;
    let typed = use_case::TypedReport {
        source: source.as_deref(),
        reporter_name: reporter_name.as_deref().unwrap_or_default(),
        reporter_contact: reporter_contact.as_deref().unwrap_or_default(),
        description: description.as_deref().unwrap_or_default(),
    };
    let outcome = use_case::record_report(&context.database, &staff, typed).await?;
    let values = [
        ("source", &source),
        ("reporter_name", &reporter_name),
        ("reporter_contact", &reporter_contact),
        ("description", &description),
    ];
    super::answer(PAGE_PATH, RECORD_REPORT_FORM, outcome, &values)
}

/// A step on a report: `investigate`, `breach`, `notified` or `close` (with the outcome).
#[server(endpoint = "staff/privacy_reports/step")]
pub async fn privacy_report_step(
    report: i64,
    step: String,
    outcome: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::{Problem, finish};
    let staff = crate::staff::authorize::<can::HandlePrivacyReport>().await?;
    let context = crate::state::app_context()?;
    let form = close_form(report);
    let Some(chosen) = use_case::report_step_of(&step, outcome.as_deref()) else {
        return finish(PAGE_PATH, Some(FormProblem::new(&form, "", Problem::Invalid)));
    };
    let done = use_case::report_step(&context.database, &staff, report, &chosen).await?;
    super::answer(PAGE_PATH, &form, done, &[("outcome", &outcome)])
}

fn source_text(locale: Locale, code: &str) -> String {
    match code {
        "website" => td_string!(locale, violation.source_website),
        "social_media" => td_string!(locale, violation.source_social_media),
        _ => td_string!(locale, violation.source_email),
    }
    .to_string()
}

fn status_text(locale: Locale, status: awn_domain::privacy::ReportStatus) -> String {
    use awn_domain::privacy::ReportStatus;
    match status {
        ReportStatus::Received => td_string!(locale, violation.status_received),
        ReportStatus::Investigating => td_string!(locale, violation.status_investigating),
        ReportStatus::Closed => td_string!(locale, violation.status_closed),
    }
    .to_string()
}

#[component]
pub fn StaffPrivacyReportsPage() -> impl IntoView {
    let record = ServerAction::<RecordPrivacyReport>::new();
    let step = ServerAction::<PrivacyReportStep>::new();
    let (recorded, stepped) = (crate::forms::successes(record), crate::forms::successes(step));
    let query = use_query_map();
    let page = Resource::new(
        move || (recorded.get() + stepped.get(), query.with(|q| q.get("page"))),
        |(_, page)| load_privacy_reports(page),
    );
    view! { <StaffGate children=move |_session| view! { <ReportsView page record step/> }/> }
}

#[component]
fn ReportsView(
    page: Resource<Result<ReportsPage, AppError>>,
    record: ServerAction<RecordPrivacyReport>,
    step: ServerAction<PrivacyReportStep>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, violation.staff_title).to_string()/>
        <h1>{t!(i18n, violation.staff_title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let record_problem = latest_problem(record, page.problem.clone());
                        let step_problem = latest_problem(step, page.problem.clone());
                        let pages = page.pages;
                        view! {
                            {if page.reports.is_empty() {
                                view! { <p class="notice">{t!(i18n, violation.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="complaints">
                                        {page.reports.into_iter().map(|report| view! {
                                            <ReportRow report step step_problem/>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <Pager position=pages/>
                            <RecordReportForm record problem=record_problem/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One report: what was reported, its clock, and the steps left on it.
#[component]
fn ReportRow(
    report: ReportItem,
    step: ServerAction<PrivacyReportStep>,
    step_problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    let r = report;
    let id = r.id;
    let open = r.status != awn_domain::privacy::ReportStatus::Closed;
    view! {
        <li class="card complaint" class:inbox__item--open=r.minutes_left.is_some() id=format!("report-{id}")>
            <p class="records__meta">
                <strong class="status-badge">{status_text(locale, r.status)}</strong>
                " · " {source_text(locale, &r.source)}
                " · " <DualDateText unix_seconds=r.created_at/>
                " · " {if r.reporter.is_empty() { t_string!(i18n, violation.anonymous).to_string() } else { r.reporter.clone() }}
            </p>
            <p class="complaint__body">{r.description.clone()}</p>
            {r.minutes_left.map(|minutes| view! {
                <BreachDeadline minutes is_breach=r.is_breach due_at=r.notification_due_at/>
            })}
            {r.notified_at.map(|at| view! {
                <p class="records__meta">{t!(i18n, violation.notified_on)} " " <DualDateText unix_seconds=at/></p>
            })}
            {r.affected_informed_at.map(|at| view! {
                <p class="records__meta">{t!(i18n, violation.affected_informed_on)} " " <DualDateText unix_seconds=at/></p>
            })}
            {r.outcome.clone().map(|outcome| view! {
                <p class="complaint__resolution"><strong>{t!(i18n, violation.outcome)}</strong> " " {outcome}</p>
            })}
            {open.then(|| view! { <ReportSteps report=r.clone() step step_problem/> })}
        </li>
    }
}

/// The 72 hours to notify: what is left, or how late it is.
#[component]
fn BreachDeadline(minutes: i64, is_breach: bool, due_at: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let digits = crate::preferences::use_digit_style();
    let late = minutes < 0;
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    let clock = move || {
        let text = match (is_breach, late) {
            (true, true) => t_string!(i18n, violation.breach_late, hours = hours, minutes = rest).to_string(),
            (true, false) => t_string!(i18n, violation.breach_left, hours = hours, minutes = rest).to_string(),
            (false, true) => t_string!(i18n, pagination.breach_clock_late, hours = hours, minutes = rest).to_string(),
            (false, false) => t_string!(i18n, pagination.breach_clock_left, hours = hours, minutes = rest).to_string(),
        };
        awn_domain::digits::localize_digits(&text, digits.try_get().unwrap_or_default())
    };
    view! {
        <p class="notice breach-deadline" class:notice--error=is_breach || late role="status">
            {clock}
            " " {due_at.map(|due| view! { <DualDateText unix_seconds=due/> })}
        </p>
    }
}

/// The steps an open report can take, and the form that closes it.
#[component]
fn ReportSteps(
    report: ReportItem,
    step: ServerAction<PrivacyReportStep>,
    step_problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = report.id;
    let form = close_form(id);
    let typed_step = step_problem.get_untracked();
    let step_button = move |code: &'static str, label: String| {
        view! {
            <ActionForm action=step attr:class="form form--inline" attr:id=format!("form-{code}-{id}")>
                <input type="hidden" name="report" value=id/>
                <input type="hidden" name="step" value=code/>
                <button class="button" type="submit">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="page-actions">
            {(report.status == awn_domain::privacy::ReportStatus::Received).then(|| step_button("investigate", t_string!(i18n, violation.investigate).to_string()))}
            {(!report.is_breach).then(|| step_button("breach", t_string!(i18n, violation.mark_breach).to_string()))}
            {(report.is_breach && report.notified_at.is_none()).then(|| step_button("notified", t_string!(i18n, violation.record_notified).to_string()))}
            {(report.is_breach && report.affected_informed_at.is_none()).then(|| step_button("affected_informed", t_string!(i18n, violation.record_affected_informed).to_string()))}
        </div>
        <ActionForm action=step attr:class="form" attr:id=format!("form-close-{id}") attr:novalidate=true>
            <input type="hidden" name="report" value=id/>
            <input type="hidden" name="step" value="close"/>
            <TextAreaField name="outcome" id_suffix=id.to_string()
                label=move || t_string!(i18n, violation.outcome_label)
                value=typed(&typed_step, &form, "outcome")
                error=field_message(step_problem, form.clone(), "outcome")/>
            <FormNotice problem=step_problem form=form.clone()/>
            <button class="button button--primary" type="submit">{t!(i18n, violation.close)}</button>
        </ActionForm>
    }
}

/// A report received by social media or email, recorded by hand.
#[component]
fn RecordReportForm(record: ServerAction<RecordPrivacyReport>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let typed_record = problem.get_untracked();
    let record_form = RECORD_REPORT_FORM.to_owned();
    let chosen_source = typed(&typed_record, RECORD_REPORT_FORM, "source");
    view! {
        <section class="card" aria-labelledby="record-report-title">
            <h2 id="record-report-title">{t!(i18n, violation.record_title)}</h2>
            <ActionForm action=record attr:class="form" attr:id="form-record-report" attr:novalidate=true>
                <SelectField name="source" id="field-report-source" label=move || t_string!(i18n, violation.source)
                    placeholder=move || t_string!(i18n, staff.intake_choose_channel)
                    options=vec![
                        ("social_media".to_owned(), t_string!(i18n, violation.source_social_media).to_string()),
                        ("email".to_owned(), t_string!(i18n, violation.source_email).to_string()),
                    ]
                    selected=chosen_source.clone()
                    error=field_message(problem, record_form.clone(), "source")/>
                <TextAreaField name="description" id_suffix="record" label=move || t_string!(i18n, violation.description)
                    value=typed(&typed_record, RECORD_REPORT_FORM, "description") required=true
                    error=field_message(problem, record_form.clone(), "description")/>
                <TextField name="reporter_name" label=move || t_string!(i18n, violation.name)
                    value=typed(&typed_record, RECORD_REPORT_FORM, "reporter_name")/>
                <TextField name="reporter_contact" label=move || t_string!(i18n, violation.contact) dir="ltr"
                    value=typed(&typed_record, RECORD_REPORT_FORM, "reporter_contact")/>
                <FormNotice problem form=record_form.clone()/>
                <button class="button button--primary" type="submit">{t!(i18n, violation.record_button)}</button>
            </ActionForm>
        </section>
    }
}
