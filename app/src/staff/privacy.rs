//! The privacy officer's registers: violation reports (`/staff/privacy-reports`,
//! B12) tracked to an outcome with the breach notification deadline, and
//! disclosures (`/staff/disclosures`, B1, B4), recorded only with an
//! authority's order.

#[cfg(feature = "ssr")]
use crate::application::{access::can, personal_data};

use awn_domain::paging::PagePosition;
#[cfg(feature = "ssr")]
use awn_domain::paging::PageRequest;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::sign_in::StaffGate;
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
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: i64,
    /// "website", "social_media" or "email".
    pub source: String,
    pub reporter: String,
    pub description: String,
    /// "received", "investigating" or "closed".
    pub status: String,
    pub is_breach: bool,
    pub notification_due_at: Option<i64>,
    /// Minutes left to notify (negative when late), on every open report not
    /// yet notified: the 72 hours run from the moment the association became
    /// aware, before anyone has decided whether it is a breach.
    pub minutes_left: Option<i64>,
    pub notified_at: Option<i64>,
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

/// Rows on a page of each privacy register.
#[cfg(feature = "ssr")]
const PER_PAGE: u32 = 50;

const RECORD_REPORT_FORM: &str = "record-report";

fn close_form(id: i64) -> String {
    format!("close-report-{id}")
}

#[server(endpoint = "staff/privacy_reports")]
pub async fn load_privacy_reports(page: Option<String>) -> Result<ReportsPage, AppError> {
    use awn_domain::privacy::{breach_minutes_left, breach_notification_due};
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::HandlePrivacyReport>().await?;
    let now = awn_storage::now_unix_seconds();
    let request = PageRequest::from_query(page.as_deref(), PER_PAGE);
    let (reports, pages) =
        personal_data::privacy_reports(&context.database, &staff, personal_data::PURPOSE_PRIVACY, request)
            .await?
            .split();
    let reports = reports
        .into_iter()
        .map(|r| {
            let awaiting = r.notified_at.is_none() && r.status != awn_storage::privacy_reports::CLOSED;
            ReportItem {
                id: r.id,
                source: r.source.code().to_owned(),
                reporter: [r.reporter_name, r.reporter_contact]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
                description: r.description,
                status: r.status,
                is_breach: r.is_breach,
                notification_due_at: (r.is_breach || awaiting).then(|| breach_notification_due(r.aware_at)),
                minutes_left: awaiting.then(|| breach_minutes_left(r.aware_at, now)),
                notified_at: r.notified_at,
                outcome: r.outcome,
                handled_by: r.handled_by_name,
                created_at: r.created_at,
            }
        })
        .collect();
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
    use awn_storage::privacy_reports::{NewPrivacyReport, ReportSource};

    use crate::forms::{Problem, finish};
    let staff = super::authorize::<can::HandlePrivacyReport>().await?;
    let context = crate::state::app_context()?;
    let keep = |problem: FormProblem| {
        problem.with_values(&[
            ("source", &source),
            ("reporter_name", &reporter_name),
            ("reporter_contact", &reporter_contact),
            ("description", &description),
        ])
    };
    let Some(source_code) = source.as_deref().and_then(ReportSource::from_code) else {
        return finish(
            "/staff/privacy-reports",
            Some(keep(FormProblem::new(RECORD_REPORT_FORM, "source", Problem::Required))),
        );
    };
    let submitted = awn_storage::privacy_reports::submit(
        &context.database,
        NewPrivacyReport {
            source: source_code,
            reporter_name: reporter_name.as_deref().unwrap_or_default(),
            reporter_contact: reporter_contact.as_deref().unwrap_or_default(),
            description: description.as_deref().unwrap_or_default(),
            recorded_by: Some(staff.id),
        },
        awn_storage::now_unix_seconds(),
    )
    .await?;
    match submitted {
        Ok(_) => finish("/staff/privacy-reports", None),
        Err(problem) => finish(
            "/staff/privacy-reports",
            Some(keep(crate::violation_reports::report_problem(RECORD_REPORT_FORM, problem))),
        ),
    }
}

/// A step on a report: `investigate`, `breach`, `notified` or `close` (with the outcome).
#[server(endpoint = "staff/privacy_reports/step")]
pub async fn privacy_report_step(
    report: i64,
    step: String,
    outcome: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use awn_storage::privacy_reports::{ReportProblem, ReportStep};

    use crate::forms::{Problem, finish};
    let staff = super::authorize::<can::HandlePrivacyReport>().await?;
    let context = crate::state::app_context()?;
    let form = close_form(report);
    let chosen = match step.as_str() {
        "investigate" => ReportStep::Investigate,
        "breach" => ReportStep::MarkBreach,
        "notified" => ReportStep::RecordNotification,
        "close" => ReportStep::Close { outcome: outcome.clone().unwrap_or_default() },
        _ => return finish("/staff/privacy-reports", Some(FormProblem::new(&form, "", Problem::Invalid))),
    };
    let done = awn_storage::privacy_reports::step(
        &context.database,
        report,
        staff.id,
        &chosen,
        awn_storage::now_unix_seconds(),
    )
    .await?;
    let problem = match done {
        Ok(()) => return finish("/staff/privacy-reports", None),
        Err(ReportProblem::NotFound) => return Err(AppError::NotFound),
        Err(ReportProblem::OutcomeRequired) => FormProblem::new(&form, "outcome", Problem::Required),
        Err(ReportProblem::TooLong) => FormProblem::new(&form, "outcome", Problem::TooLong),
        Err(_) => FormProblem::new(&form, "", Problem::AlreadyDone),
    };
    finish("/staff/privacy-reports", Some(problem.with_values(&[("outcome", &outcome)])))
}

fn source_text(locale: Locale, code: &str) -> String {
    match code {
        "website" => td_string!(locale, violation.source_website),
        "social_media" => td_string!(locale, violation.source_social_media),
        _ => td_string!(locale, violation.source_email),
    }
    .to_string()
}

fn status_text(locale: Locale, code: &str) -> String {
    match code {
        "received" => td_string!(locale, violation.status_received),
        "investigating" => td_string!(locale, violation.status_investigating),
        _ => td_string!(locale, violation.status_closed),
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
    let digits = crate::preferences::use_digit_style();
    let step_button = move |report: i64, code: &'static str, label: String| {
        view! {
            <ActionForm action=step attr:class="form form--inline" attr:id=format!("form-{code}-{report}")>
                <input type="hidden" name="report" value=report/>
                <input type="hidden" name="step" value=code/>
                <button class="button" type="submit">{label}</button>
            </ActionForm>
        }
    };
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
                        let typed_record = record_problem.get_untracked();
                        let typed_step = step_problem.get_untracked();
                        let record_form = RECORD_REPORT_FORM.to_owned();
                        let chosen_source = typed(&typed_record, RECORD_REPORT_FORM, "source");
                        let locale = i18n.get_locale();
                        let pages = page.pages;
                        view! {
                            {if page.reports.is_empty() {
                                view! { <p class="notice">{t!(i18n, violation.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="complaints">
                                        {page.reports.into_iter().map(|r| {
                                            let id = r.id;
                                            let typed_step = typed_step.clone();
                                            let form = close_form(id);
                                            let open = r.status != "closed";
                                            view! {
                                                <li class="card complaint" class:inbox__item--open=r.minutes_left.is_some() id=format!("report-{id}")>
                                                    <p class="records__meta">
                                                        <strong class="status-badge">{status_text(locale, &r.status)}</strong>
                                                        " · " {source_text(locale, &r.source)}
                                                        " · " <DualDateText unix_seconds=r.created_at/>
                                                        " · " {if r.reporter.is_empty() { t_string!(i18n, violation.anonymous).to_string() } else { r.reporter.clone() }}
                                                    </p>
                                                    <p class="complaint__body">{r.description.clone()}</p>
                                                    {r.minutes_left.map(|minutes| {
                                                        let late = minutes < 0;
                                                        let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
                                                        let breach = r.is_breach;
                                                        let clock = move || {
                                                            let text = match (breach, late) {
                                                                (true, true) => t_string!(i18n, violation.breach_late, hours = hours, minutes = rest).to_string(),
                                                                (true, false) => t_string!(i18n, violation.breach_left, hours = hours, minutes = rest).to_string(),
                                                                (false, true) => t_string!(i18n, pagination.breach_clock_late, hours = hours, minutes = rest).to_string(),
                                                                (false, false) => t_string!(i18n, pagination.breach_clock_left, hours = hours, minutes = rest).to_string(),
                                                            };
                                                            awn_domain::digits::localize_digits(&text, digits.try_get().unwrap_or_default())
                                                        };
                                                        view! {
                                                            <p class="notice breach-deadline" class:notice--error=breach || late role="status">
                                                                {clock}
                                                                " " {r.notification_due_at.map(|due| view! { <DualDateText unix_seconds=due/> })}
                                                            </p>
                                                        }
                                                    })}
                                                    {r.notified_at.map(|at| view! {
                                                        <p class="records__meta">{t!(i18n, violation.notified_on)} " " <DualDateText unix_seconds=at/></p>
                                                    })}
                                                    {r.outcome.clone().map(|outcome| view! {
                                                        <p class="complaint__resolution"><strong>{t!(i18n, violation.outcome)}</strong> " " {outcome}</p>
                                                    })}
                                                    {open.then(|| view! {
                                                        <div class="page-actions">
                                                            {(r.status == "received").then(|| step_button(id, "investigate", t_string!(i18n, violation.investigate).to_string()))}
                                                            {(!r.is_breach).then(|| step_button(id, "breach", t_string!(i18n, violation.mark_breach).to_string()))}
                                                            {(r.is_breach && r.notified_at.is_none()).then(|| step_button(id, "notified", t_string!(i18n, violation.record_notified).to_string()))}
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
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <Pager position=pages/>
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
                                        error=field_message(record_problem, record_form.clone(), "source")/>
                                    <TextAreaField name="description" id_suffix="record" label=move || t_string!(i18n, violation.description)
                                        value=typed(&typed_record, RECORD_REPORT_FORM, "description") required=true
                                        error=field_message(record_problem, record_form.clone(), "description")/>
                                    <TextField name="reporter_name" label=move || t_string!(i18n, violation.name)
                                        value=typed(&typed_record, RECORD_REPORT_FORM, "reporter_name")/>
                                    <TextField name="reporter_contact" label=move || t_string!(i18n, violation.contact) dir="ltr"
                                        value=typed(&typed_record, RECORD_REPORT_FORM, "reporter_contact")/>
                                    <FormNotice problem=record_problem form=record_form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, violation.record_button)}</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

// ---------------------------------------------------------------------------
// Disclosures
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureItem {
    pub id: i64,
    pub beneficiary_id: i64,
    pub authority: String,
    pub order_reference: String,
    pub order_date: String,
    pub data_disclosed: String,
    pub approved_by: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosuresPage {
    pub disclosures: Vec<DisclosureItem>,
    /// Where this page sits among all the disclosures.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

const DISCLOSURE_FORM: &str = "disclosure";

#[cfg(feature = "ssr")]
pub(crate) fn disclosure_item(d: awn_storage::disclosures::DisclosureRecord) -> DisclosureItem {
    DisclosureItem {
        id: d.id,
        beneficiary_id: d.beneficiary_id,
        authority: d.authority,
        order_reference: d.order_reference,
        order_date: d.order_date,
        data_disclosed: d.data_disclosed,
        approved_by: d.approved_by_name,
        recorded_at: d.recorded_at,
    }
}

#[server(endpoint = "staff/disclosures")]
pub async fn load_disclosures(page: Option<String>) -> Result<DisclosuresPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::RecordDisclosure>().await?;
    let request = PageRequest::from_query(page.as_deref(), PER_PAGE);
    let (disclosures, pages) =
        personal_data::disclosures(&context.database, &staff, personal_data::PURPOSE_PRIVACY, request)
            .await?
            .map(disclosure_item)
            .split();
    Ok(DisclosuresPage { disclosures, pages, problem: crate::forms::take_flash() })
}

/// Records a disclosure ordered by an authority; without the order's reference
/// (or its authority, date, or what was disclosed) nothing is recorded.
#[server(endpoint = "staff/disclosures/record")]
pub async fn record_disclosure(
    beneficiary: Option<String>,
    authority: Option<String>,
    order_reference: Option<String>,
    order_date: Option<String>,
    data_disclosed: Option<String>,
    confirm_password: Option<String>,
    confirm_code: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use awn_domain::{
        calendar::DualDate,
        privacy::{DisclosureForm, check_disclosure},
    };

    use crate::forms::{Problem, finish};
    let staff = super::authorize::<can::RecordDisclosure>().await?;
    let context = crate::state::app_context()?;
    let now = awn_storage::now_unix_seconds();
    let keep = |problem: FormProblem| {
        problem.with_values(&[
            ("beneficiary", &beneficiary),
            ("authority", &authority),
            ("order_reference", &order_reference),
            ("order_date", &order_date),
            ("data_disclosed", &data_disclosed),
        ])
    };
    let refused = |field: &str, problem: Problem| {
        finish("/staff/disclosures", Some(keep(FormProblem::new(DISCLOSURE_FORM, field, problem))))
    };
    let beneficiary_id =
        match awn_domain::digits::normalize_digits(beneficiary.as_deref().unwrap_or_default().trim()).parse::<i64>() {
            Ok(id) => id,
            Err(_) => return refused("beneficiary", Problem::Required),
        };
    let form = DisclosureForm {
        authority: authority.clone().unwrap_or_default(),
        order_reference: order_reference.clone().unwrap_or_default(),
        order_date: order_date.clone().unwrap_or_default(),
        data_disclosed: data_disclosed.clone().unwrap_or_default(),
    };
    let disclosure = match check_disclosure(&form, DualDate::from_unix_seconds(now).gregorian) {
        Ok(disclosure) => disclosure,
        Err(errors) => {
            let first = &errors[0];
            let problem = match first.problem {
                awn_domain::workflow::WorkflowProblem::Required => Problem::Required,
                awn_domain::workflow::WorkflowProblem::TooLong => Problem::TooLong,
                _ => Problem::Invalid,
            };
            return refused(&first.field, problem);
        }
    };
    // A step-up: a disclosure hands a person's data to an authority.
    if let Some(problem) =
        super::account::step_up::confirm(&staff, confirm_password.as_deref(), confirm_code.as_deref()).await?
    {
        return refused(super::account::CONFIRM_PASSWORD, problem);
    }
    match awn_storage::disclosures::record(&context.database, beneficiary_id, &disclosure, staff.id, now).await {
        Ok(_) => finish("/staff/disclosures", None),
        Err(awn_storage::StorageError::NotFound(_)) => refused("beneficiary", Problem::NotFound),
        Err(error) => Err(error.into()),
    }
}

#[component]
pub fn StaffDisclosuresPage() -> impl IntoView {
    let record = ServerAction::<RecordDisclosure>::new();
    let recorded = crate::forms::successes(record);
    let query = use_query_map();
    let page =
        Resource::new(move || (recorded.get(), query.with(|q| q.get("page"))), |(_, page)| load_disclosures(page));
    view! { <StaffGate children=move |_session| view! { <DisclosuresView page record/> }/> }
}

#[component]
fn DisclosuresView(
    page: Resource<Result<DisclosuresPage, AppError>>,
    record: ServerAction<RecordDisclosure>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, disclosures.title).to_string()/>
        <h1>{t!(i18n, disclosures.title)}</h1>
        <p>{t!(i18n, disclosures.lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(record, page.problem.clone());
                        let current = problem.get_untracked();
                        let form = DISCLOSURE_FORM.to_owned();
                        let pages = page.pages;
                        let field = {
                            let form = form.clone();
                            move |name: &'static str| field_message(problem, form.clone(), name)
                        };
                        let value = move |name: &str| typed(&current, DISCLOSURE_FORM, name);
                        view! {
                            <section class="card" aria-labelledby="disclosure-form-title">
                                <h2 id="disclosure-form-title">{t!(i18n, disclosures.record_title)}</h2>
                                <ActionForm action=record attr:class="form" attr:id="form-disclosure" attr:novalidate=true>
                                    <TextField name="beneficiary" label=move || t_string!(i18n, disclosures.beneficiary)
                                        inputmode="numeric" dir="ltr" value=value("beneficiary") error=field("beneficiary")/>
                                    <TextField name="authority" label=move || t_string!(i18n, disclosures.authority)
                                        value=value("authority") error=field("authority")/>
                                    <TextField name="order_reference" label=move || t_string!(i18n, disclosures.order_reference)
                                        dir="ltr" value=value("order_reference") error=field("order_reference")/>
                                    <TextField name="order_date" label=move || t_string!(i18n, disclosures.order_date)
                                        input_type="date" dir="ltr" value=value("order_date") error=field("order_date")/>
                                    <TextAreaField name="data_disclosed" label=move || t_string!(i18n, disclosures.data_disclosed)
                                        value=value("data_disclosed") error=field("data_disclosed")/>
                                    <super::account::StepUpFields suffix="disclosure" error=field(super::account::CONFIRM_PASSWORD)/>
                                    <FormNotice problem form=form.clone()/>
                                    <button class="button button--primary" type="submit">{t!(i18n, disclosures.record_button)}</button>
                                </ActionForm>
                            </section>
                            {if page.disclosures.is_empty() {
                                view! { <p class="notice">{t!(i18n, disclosures.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="records">
                                        {page.disclosures.into_iter().map(|d| view! {
                                            <li class="card records__item">
                                                <strong>{d.authority.clone()}</strong>
                                                <span class="records__meta">
                                                    {t!(i18n, disclosures.order_reference)} ": " <bdi dir="ltr">{d.order_reference.clone()}</bdi>
                                                    " · " <bdi dir="ltr">{d.order_date.clone()}</bdi>
                                                    " · " <a href=format!("/staff/beneficiaries/{}", d.beneficiary_id)>{format!("#{}", d.beneficiary_id)}</a>
                                                </span>
                                                <p class="records__body">{d.data_disclosed.clone()}</p>
                                                <span class="records__meta">{t!(i18n, disclosures.approved_by)} " " {d.approved_by.clone()} " · "
                                                    <DualDateText unix_seconds=d.recorded_at/></span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <Pager position=pages/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

// ---------------------------------------------------------------------------
// The data subject's requests
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRequestItem {
    pub id: i64,
    pub beneficiary_id: i64,
    /// "correction" or "deletion".
    pub kind: String,
    pub details: String,
    /// "open", "done" or "refused".
    pub status: String,
    pub due_at: i64,
    pub overdue: bool,
    pub outcome: Option<String>,
    pub handled_by: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRequestsPage {
    pub requests: Vec<DataRequestItem>,
    /// Where this page sits among all the requests.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

fn answer_form(id: i64) -> String {
    format!("answer-data-{id}")
}

#[server(endpoint = "staff/data_requests")]
pub async fn load_data_requests(page: Option<String>) -> Result<DataRequestsPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::AnswerDataRequest>().await?;
    let now = awn_storage::now_unix_seconds();
    let request = PageRequest::from_query(page.as_deref(), PER_PAGE);
    let (requests, pages) =
        personal_data::data_requests(&context.database, &staff, personal_data::PURPOSE_PRIVACY, request)
            .await?
            .map(|r| DataRequestItem {
                overdue: r.status == "open" && r.due_at < now,
                id: r.id,
                beneficiary_id: r.beneficiary_id,
                kind: r.kind,
                details: r.details,
                status: r.status,
                due_at: r.due_at,
                outcome: r.outcome,
                handled_by: r.handled_by_name,
                created_at: r.created_at,
            })
            .split();
    Ok(DataRequestsPage { requests, pages, problem: crate::forms::take_flash() })
}

/// Answers a request: `decision` is `done` or `refused`, with the outcome the person reads.
#[server(endpoint = "staff/data_requests/answer")]
pub async fn answer_data_request(
    request: i64,
    decision: String,
    outcome: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use awn_storage::data_requests::DataRequestProblem;

    use crate::forms::{Problem, finish};
    let staff = super::authorize::<can::AnswerDataRequest>().await?;
    let context = crate::state::app_context()?;
    let form = answer_form(request);
    let answered = awn_storage::data_requests::answer(
        &context.database,
        request,
        staff.id,
        decision == "done",
        outcome.as_deref().unwrap_or_default(),
        awn_storage::now_unix_seconds(),
    )
    .await?;
    let problem = match answered {
        Ok(()) => return finish("/staff/data-requests", None),
        Err(DataRequestProblem::NotFound) => return Err(AppError::NotFound),
        Err(DataRequestProblem::AlreadyAnswered) => FormProblem::new(&form, "", Problem::AlreadyDone),
        Err(DataRequestProblem::TooLong) => FormProblem::new(&form, "outcome", Problem::TooLong),
        Err(_) => FormProblem::new(&form, "outcome", Problem::Required),
    };
    finish("/staff/data-requests", Some(problem.with_values(&[("outcome", &outcome)])))
}

/// Carries out an open deletion request: the data is removed or anonymised, the
/// files of removed documents are deleted, and the request is answered with
/// what was removed and what was kept and why, in the person's language.
#[server(endpoint = "staff/data_requests/erase")]
pub async fn carry_out_deletion(
    request: i64,
    confirm_password: Option<String>,
    confirm_code: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::{
        forms::{Problem, finish},
        preferences::locale_of,
    };
    let staff = super::authorize::<can::AnswerDataRequest>().await?;
    let context = crate::state::app_context()?;
    let form = answer_form(request);
    let asked = awn_storage::data_requests::by_id(&context.database, request).await?.ok_or(AppError::NotFound)?;
    if asked.kind != awn_storage::data_requests::DELETION || asked.status != "open" {
        return finish("/staff/data-requests", Some(FormProblem::new(&form, "", Problem::AlreadyDone)));
    }
    // A step-up: erasure cannot be undone.
    if let Some(problem) =
        super::account::step_up::confirm(&staff, confirm_password.as_deref(), confirm_code.as_deref()).await?
    {
        return finish(
            "/staff/data-requests",
            Some(FormProblem::new(&form, super::account::CONFIRM_PASSWORD, problem)),
        );
    }
    let language = awn_storage::accounts::beneficiary(&context.database, asked.beneficiary_id)
        .await?
        .map(|account| account.language)
        .unwrap_or(awn_domain::locale::Language::Arabic);
    let now = awn_storage::now_unix_seconds();
    let report =
        awn_storage::data_requests::erase_beneficiary(&context.database, asked.beneficiary_id, staff.id, now).await?;
    for key in &report.storage_keys {
        if let Err(error) = context.documents.delete(key).await {
            tracing::warn!(%error, "a removed document's file could not be deleted");
        }
    }
    let locale = locale_of(language);
    let kept = if report.requests_kept.is_empty() {
        td_string!(locale, data_requests.kept_nothing).to_string()
    } else {
        let references = report.requests_kept.join("، ");
        td_string!(locale, data_requests.kept_support, references = references.as_str()).to_string()
    };
    let counts = [
        report.requests_anonymised.len().to_string(),
        report.documents_removed.to_string(),
        report.messages_removed.to_string(),
        report.inquiries_anonymised.to_string(),
        report.complaints_anonymised.to_string(),
    ];
    let outcome = format!(
        "{}\n{}\n{}",
        td_string!(
            locale,
            data_requests.removed,
            requests = counts[0].as_str(),
            documents = counts[1].as_str(),
            messages = counts[2].as_str(),
            inquiries = counts[3].as_str(),
            complaints = counts[4].as_str()
        ),
        kept,
        td_string!(locale, data_requests.kept_always)
    );
    let answered =
        awn_storage::data_requests::answer(&context.database, request, staff.id, true, &outcome, now).await?;
    match answered {
        Ok(()) => finish("/staff/data-requests", None),
        Err(_) => finish("/staff/data-requests", Some(FormProblem::new(&form, "", Problem::AlreadyDone))),
    }
}

#[component]
pub fn StaffDataRequestsPage() -> impl IntoView {
    let answer = ServerAction::<AnswerDataRequest>::new();
    let erase = ServerAction::<CarryOutDeletion>::new();
    let (answered, erased) = (crate::forms::successes(answer), crate::forms::successes(erase));
    let query = use_query_map();
    let page = Resource::new(
        move || (answered.get() + erased.get(), query.with(|q| q.get("page"))),
        |(_, page)| load_data_requests(page),
    );
    view! { <StaffGate children=move |_session| view! { <DataRequestsView page answer erase/> }/> }
}

#[component]
fn DataRequestsView(
    page: Resource<Result<DataRequestsPage, AppError>>,
    answer: ServerAction<AnswerDataRequest>,
    erase: ServerAction<CarryOutDeletion>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, data_requests.title).to_string()/>
        <h1>{t!(i18n, data_requests.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) if page.requests.is_empty() => view! { <p class="notice">{t!(i18n, data_requests.empty)}</p> }.into_any(),
                    Ok(page) => {
                        let answer_problem = latest_problem(answer, page.problem.clone());
                        let erase_problem = latest_problem(erase, page.problem.clone());
                        let typed_answer = answer_problem.get_untracked();
                        let pages = page.pages;
                        view! {
                            <ul class="complaints">
                                {page.requests.into_iter().map(|r| {
                                    let id = r.id;
                                    let form = answer_form(id);
                                    let erase_form = form.clone();
                                    let typed_answer = typed_answer.clone();
                                    let open = r.status == "open";
                                    let deletion = r.kind == "deletion";
                                    view! {
                                        <li class="card complaint" class:inbox__item--open=open id=format!("data-request-{id}")>
                                            <p class="records__meta">
                                                <strong>{if deletion { t_string!(i18n, my_data.deletion) } else { t_string!(i18n, my_data.correction) }}</strong>
                                                " · " <a href=format!("/staff/beneficiaries/{}", r.beneficiary_id)>{format!("#{}", r.beneficiary_id)}</a>
                                                " · " <DualDateText unix_seconds=r.created_at/>
                                            </p>
                                            <p class:overdue-flag=r.overdue>
                                                {t!(i18n, my_data.due)} " " <DualDateText unix_seconds=r.due_at/>
                                                {r.overdue.then(|| view! { " · " {t!(i18n, staff.overdue)} })}
                                            </p>
                                            {(!r.details.is_empty()).then(|| view! { <p class="complaint__body">{r.details.clone()}</p> })}
                                            {r.outcome.clone().map(|o| view! { <p class="complaint__resolution"><strong>{t!(i18n, my_data.outcome)}</strong> " " {o}</p> })}
                                            {(open && deletion).then(|| view! {
                                                <ActionForm action=erase attr:class="form" attr:id=format!("form-erase-{id}")>
                                                    <input type="hidden" name="request" value=id/>
                                                    <p class="field__hint">{t!(i18n, data_requests.erase_hint)}</p>
                                                    <super::account::StepUpFields suffix=format!("erase-{id}")
                                                        error=field_message(erase_problem, erase_form.clone(), super::account::CONFIRM_PASSWORD)/>
                                                    <FormNotice problem=erase_problem form=erase_form.clone()/>
                                                    <button class="button button--primary" type="submit">{t!(i18n, data_requests.erase)}</button>
                                                </ActionForm>
                                            })}
                                            {open.then(|| view! {
                                                <ActionForm action=answer attr:class="form" attr:id=format!("form-answer-data-{id}") attr:novalidate=true>
                                                    <input type="hidden" name="request" value=id/>
                                                    <fieldset class="choices">
                                                        <label class="choice"><input type="radio" name="decision" value="done" checked=true/>{t!(i18n, my_data.status_done)}</label>
                                                        <label class="choice"><input type="radio" name="decision" value="refused"/>{t!(i18n, my_data.status_refused)}</label>
                                                    </fieldset>
                                                    <TextAreaField name="outcome" id_suffix=id.to_string() label=move || t_string!(i18n, data_requests.outcome_label)
                                                        value=typed(&typed_answer, &form, "outcome")
                                                        error=field_message(answer_problem, form.clone(), "outcome")/>
                                                    <FormNotice problem=answer_problem form=form.clone()/>
                                                    <button class="button" type="submit">{t!(i18n, data_requests.answer)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <Pager position=pages/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
