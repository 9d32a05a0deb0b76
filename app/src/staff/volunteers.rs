//! Volunteer applications (`/staff/volunteers`, A18's volunteering channel):
//! pending ones first; accept or decline with a message the volunteer receives
//! by SMS; give an accepted volunteer a volunteer account in one step (its
//! password shown once); record the hours they give, with their total.

#[cfg(feature = "ssr")]
use crate::application::{access::can, volunteers};

use awn_domain::{
    paging::PagePosition,
    volunteers::{Availability, VolunteerStatus},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{
    party_consents::{ConsentEntries, PartyConsentLine},
    sign_in::StaffGate,
};
use crate::{
    components::{
        dates::DualDateText,
        form::{TextAreaField, TextField},
        messages::ErrorMessage,
        pager::Pager,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursView {
    pub day: String,
    pub hours: String,
    pub activity: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerView {
    pub id: i64,
    pub full_name: String,
    pub mobile: String,
    pub skills: String,
    pub areas: String,
    pub availability: Availability,
    pub sms_consent: bool,
    pub news_consent: bool,
    /// Their entries in the consent register, newest first.
    pub consents: Vec<PartyConsentLine>,
    pub status: VolunteerStatus,
    pub decision_message: Option<String>,
    pub decided_by: Option<String>,
    pub staff_username: Option<String>,
    pub created_at: i64,
    pub total_hours: String,
    pub hours: Vec<HoursView>,
}

/// An account just given: shown once, then only its username.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenAccountView {
    pub volunteer: i64,
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteersPage {
    pub rows: Vec<VolunteerView>,
    pub pages: PagePosition,
    pub pending: i64,
    pub problem: Option<FormProblem>,
}

#[cfg(feature = "ssr")]
const PER_PAGE: u32 = 20;
/// The server function's address: a plain (no-JavaScript) post to it is
/// answered by the server itself with a page that shows the password (see
/// `server/src/routes/volunteer_account.rs`), never by a redirect whose
/// cookie would carry it.
pub const GIVE_ACCOUNT_PATH: &str = "/api/staff/volunteers/account";

fn decide_form(id: i64) -> String {
    format!("decide-{id}")
}

fn consent_form(id: i64) -> String {
    format!("consent-{id}")
}

fn hours_form(id: i64) -> String {
    format!("hours-{id}")
}

#[server(endpoint = "staff/volunteers")]
pub async fn load_volunteers(page: Option<String>) -> Result<VolunteersPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::ManageVolunteers>().await?;
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), PER_PAGE);
    let (rows, pages, pending) = volunteers::list(&context.database, &staff, request).await?;
    let problem = crate::flash::take_any().as_ref().and_then(FormProblem::from_flash);
    Ok(VolunteersPage { rows, pages, pending, problem })
}

/// Accepts (`decision` "accept") or declines ("decline") with a message sent by SMS.
#[server(endpoint = "staff/volunteers/decide")]
pub async fn decide_volunteer(
    volunteer: i64,
    decision: Option<String>,
    message: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageVolunteers>().await?;
    let context = crate::state::app_context()?;
    let decided =
        volunteers::decide(&context.database, &staff, volunteer, decision.as_deref(), message.as_deref()).await?;
    let refused =
        decided.err().map(|refused| refused.on(&decide_form(volunteer)).with_values(&[("message", &message)]));
    crate::forms::finish("/staff/volunteers", refused)
}

/// Staff record a volunteer's consent to news by SMS given or withdrawn (`choice`).
#[server(endpoint = "staff/volunteers/consent")]
pub async fn record_volunteer_consent(
    volunteer: i64,
    kind: Option<String>,
    choice: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageVolunteers>().await?;
    let context = crate::state::app_context()?;
    let recorded = crate::application::consent::record_volunteer_news(
        &context,
        &staff,
        volunteer,
        kind.as_deref().unwrap_or_default(),
        choice.as_deref().unwrap_or_default(),
    )
    .await?;
    crate::forms::finish("/staff/volunteers", recorded.err().map(|refused| refused.on(&consent_form(volunteer))))
}

/// Gives an accepted volunteer a volunteer staff account; its password is shown
/// once, in this answer only: it is never put in a cookie (a plain post that
/// succeeds is answered by the server's own page, see [`GIVE_ACCOUNT_PATH`]).
#[server(endpoint = "staff/volunteers/account")]
pub async fn give_volunteer_account(volunteer: i64) -> Result<Result<GivenAccountView, FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageVolunteers>().await?;
    let context = crate::state::app_context()?;
    match volunteers::give_account(&context.database, &staff, volunteer).await? {
        Ok(given) => Ok(Ok(GivenAccountView { volunteer, username: given.username, password: given.password })),
        Err(refused) => {
            let problem = refused.on(&decide_form(volunteer));
            crate::flash::keep_for_next_page(&problem.to_flash());
            Ok(Err(problem))
        }
    }
}

/// Records hours (0.5 to 24) given on a day, with the activity.
#[server(endpoint = "staff/volunteers/hours")]
pub async fn record_volunteer_hours(
    volunteer: i64,
    day: Option<String>,
    hours: Option<String>,
    activity: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::ManageVolunteers>().await?;
    let context = crate::state::app_context()?;
    let recorded = volunteers::record_hours(
        &context.database,
        &staff,
        volunteer,
        day.as_deref(),
        hours.as_deref(),
        activity.as_deref(),
    )
    .await?;
    let refused = recorded.err().map(|refused| {
        refused.on(&hours_form(volunteer)).with_values(&[("day", &day), ("hours", &hours), ("activity", &activity)])
    });
    crate::forms::finish("/staff/volunteers", refused)
}

/// The words of the page a plain post of the account form is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenAccountTexts {
    pub title: String,
    pub given: String,
    pub username: String,
    pub password: String,
    pub once: String,
    pub back: String,
}

pub fn given_account_texts(language: awn_domain::locale::Language) -> GivenAccountTexts {
    let locale = crate::preferences::locale_of(language);
    GivenAccountTexts {
        title: td_string!(locale, volunteers.staff_title).to_string(),
        given: td_string!(locale, volunteers.account_given).to_string(),
        username: td_string!(locale, volunteers.username).to_string(),
        password: td_string!(locale, volunteers.password).to_string(),
        once: td_string!(locale, volunteers.password_once).to_string(),
        back: td_string!(locale, volunteers.back_to_list).to_string(),
    }
}

pub fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: VolunteerStatus) -> String {
    match status {
        VolunteerStatus::Pending => t_string!(i18n, volunteers.status_pending),
        VolunteerStatus::Accepted => t_string!(i18n, volunteers.status_accepted),
        VolunteerStatus::Declined => t_string!(i18n, volunteers.status_declined),
    }
    .to_string()
}

pub fn availability_text(i18n: leptos_i18n::I18nContext<Locale>, availability: Availability) -> String {
    match availability {
        Availability::Weekdays => t_string!(i18n, volunteers.availability_weekdays),
        Availability::Weekends => t_string!(i18n, volunteers.availability_weekends),
        Availability::Evenings => t_string!(i18n, volunteers.availability_evenings),
        Availability::Flexible => t_string!(i18n, volunteers.availability_flexible),
    }
    .to_string()
}

#[component]
pub fn StaffVolunteersPage() -> impl IntoView {
    let query = use_query_map();
    let decide = ServerAction::<DecideVolunteer>::new();
    let account = ServerAction::<GiveVolunteerAccount>::new();
    let hours = ServerAction::<RecordVolunteerHours>::new();
    let consent = ServerAction::<RecordVolunteerConsent>::new();
    let (decided, recorded) = (crate::forms::successes(decide), crate::forms::successes(hours));
    let consented = crate::forms::successes(consent);
    let page = Resource::new(
        move || {
            let changes = decided.get() + recorded.get() + consented.get() + account.version().get();
            (query.with(|q| q.get("page")), changes)
        },
        |(page, _)| load_volunteers(page),
    );
    view! { <StaffGate children=move |_session| view! { <VolunteersView page decide account hours consent/> }/> }
}

#[component]
fn VolunteersView(
    page: Resource<Result<VolunteersPage, AppError>>,
    decide: ServerAction<DecideVolunteer>,
    account: ServerAction<GiveVolunteerAccount>,
    hours: ServerAction<RecordVolunteerHours>,
    consent: ServerAction<RecordVolunteerConsent>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, volunteers.staff_title).to_string()/>
        <h1>{t!(i18n, volunteers.staff_title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let decide_problem = latest_problem(decide, page.problem.clone());
                        let hours_problem = latest_problem(hours, page.problem.clone());
                        let consent_problem = latest_problem(consent, page.problem.clone());
                        let typed_problem = page.problem.clone();
                        let given = match account.value().get_untracked() {
                            Some(Ok(Ok(view))) => Some(view),
                            _ => None,
                        };
                        let (pending, total) = (page.pending, page.pages.total);
                        let pages = page.pages;
                        view! {
                            <p class="records__meta" id="volunteer-counts">
                                {t!(i18n, volunteers.counts, pending = pending, total = total)}
                            </p>
                            {given.map(|given| view! {
                                <div class="notice notice--success" role="status" id="volunteer-account-given">
                                    <p>{t!(i18n, volunteers.account_given)}</p>
                                    <p>{t!(i18n, volunteers.username)} " " <bdi dir="ltr"><code>{given.username}</code></bdi></p>
                                    <p>{t!(i18n, volunteers.password)} " " <bdi dir="ltr"><code>{given.password}</code></bdi></p>
                                    <p class="field__hint">{t!(i18n, volunteers.password_once)}</p>
                                </div>
                            })}
                            {if page.rows.is_empty() {
                                view! { <p class="notice">{t!(i18n, volunteers.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="inbox">
                                        {page.rows.into_iter().map(|row| view! {
                                            <VolunteerItem row decide account hours consent decide_problem hours_problem consent_problem typed_problem=typed_problem.clone()/>
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

/// One application: who, what they offer, and the step it is at.
#[component]
fn VolunteerItem(
    row: VolunteerView,
    decide: ServerAction<DecideVolunteer>,
    account: ServerAction<GiveVolunteerAccount>,
    hours: ServerAction<RecordVolunteerHours>,
    consent: ServerAction<RecordVolunteerConsent>,
    decide_problem: Signal<Option<FormProblem>>,
    hours_problem: Signal<Option<FormProblem>>,
    consent_problem: Signal<Option<FormProblem>>,
    typed_problem: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id;
    let pending = row.status == VolunteerStatus::Pending;
    let accepted = row.status == VolunteerStatus::Accepted;
    view! {
        <li class="card inbox__item" class:inbox__item--open=pending id=format!("volunteer-{id}")>
            <p class="records__meta">
                <strong>{row.full_name.clone()}</strong>
                " · " <bdi dir="ltr">{row.mobile.clone()}</bdi>
                " · " {status_text(i18n, row.status)}
                " · " <DualDateText unix_seconds=row.created_at/>
            </p>
            <dl class="records__meta">
                <dt>{t!(i18n, volunteers.skills)}</dt><dd>{row.skills.clone()}</dd>
                <dt>{t!(i18n, volunteers.areas)}</dt><dd>{row.areas.clone()}</dd>
                <dt>{t!(i18n, volunteers.availability)}</dt><dd>{availability_text(i18n, row.availability)}</dd>
                <dt>{t!(i18n, volunteers.consents)}</dt>
                <dd>
                    {if row.sms_consent { t_string!(i18n, volunteers.sms_consent_yes) } else { t_string!(i18n, volunteers.sms_consent_no) }}
                    " · "
                    {if row.news_consent { t_string!(i18n, volunteers.news_consent_yes) } else { t_string!(i18n, volunteers.news_consent_no) }}
                </dd>
            </dl>
            <NewsConsent id granted=row.news_consent entries=row.consents.clone() consent problem=consent_problem/>
            {row.decision_message.clone().filter(|m| !m.is_empty()).map(|message| view! {
                <p class="inbox__answer">{message} " — " {row.decided_by.clone().unwrap_or_default()}</p>
            })}
            {pending.then(|| view! { <DecideForm id decide decide_problem typed_problem=typed_problem.clone()/> })}
            {accepted.then(|| view! {
                {match row.staff_username.clone() {
                    Some(username) => view! {
                        <p class="records__meta">{t!(i18n, volunteers.account_linked)} " " <bdi dir="ltr">{username}</bdi></p>
                    }.into_any(),
                    None => view! {
                        <ActionForm action=account attr:class="form form--inline" attr:id=format!("form-account-{id}")>
                            <input type="hidden" name="volunteer" value=id/>
                            <button class="button" type="submit">{t!(i18n, volunteers.give_account)}</button>
                        </ActionForm>
                    }.into_any(),
                }}
                <HoursSection id total=row.total_hours.clone() rows=row.hours.clone() hours hours_problem typed_problem=typed_problem.clone()/>
            })}
        </li>
    }
}

#[component]
fn DecideForm(
    id: i64,
    decide: ServerAction<DecideVolunteer>,
    decide_problem: Signal<Option<FormProblem>>,
    typed_problem: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = decide_form(id);
    view! {
        <ActionForm action=decide attr:class="form" attr:id=format!("form-decide-{id}") attr:novalidate=true>
            <input type="hidden" name="volunteer" value=id/>
            <TextAreaField name="message" id_suffix=id.to_string()
                label=move || t_string!(i18n, volunteers.message)
                value=typed(&typed_problem, &form, "message")
                error=field_message(decide_problem, form.clone(), "message")/>
            <FormNotice problem=decide_problem form=form.clone()/>
            <button class="button button--primary" type="submit" name="decision" value="accept">{t!(i18n, volunteers.accept)}</button>
            " "
            <button class="button" type="submit" name="decision" value="decline">{t!(i18n, volunteers.decline)}</button>
        </ActionForm>
    }
}

#[component]
fn HoursSection(
    id: i64,
    total: String,
    rows: Vec<HoursView>,
    hours: ServerAction<RecordVolunteerHours>,
    hours_problem: Signal<Option<FormProblem>>,
    typed_problem: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = hours_form(id);
    view! {
        <details class="inbox__publish">
            <summary>{t!(i18n, volunteers.hours_title)} " (" {t!(i18n, volunteers.hours_total)} " " <span class="volunteer-total">{total}</span> ")"</summary>
            <ul class="records">
                {rows.into_iter().map(|h| view! {
                    <li><bdi dir="ltr">{h.day}</bdi> " · " {h.hours} " · " {h.activity} " · " {h.recorded_by}</li>
                }).collect_view()}
            </ul>
            <ActionForm action=hours attr:class="form" attr:id=format!("form-hours-{id}") attr:novalidate=true>
                <input type="hidden" name="volunteer" value=id/>
                <TextField name="day" id_suffix=id.to_string() input_type="date" dir="ltr"
                    label=move || t_string!(i18n, volunteers.day) value=typed(&typed_problem, &form, "day")
                    error=field_message(hours_problem, form.clone(), "day")/>
                <TextField name="hours" id_suffix=id.to_string() inputmode="decimal" dir="ltr"
                    label=move || t_string!(i18n, volunteers.hours) value=typed(&typed_problem, &form, "hours")
                    error=field_message(hours_problem, form.clone(), "hours")/>
                <TextField name="activity" id_suffix=id.to_string()
                    label=move || t_string!(i18n, volunteers.activity) value=typed(&typed_problem, &form, "activity")
                    error=field_message(hours_problem, form.clone(), "activity")/>
                <FormNotice problem=hours_problem form=form.clone()/>
                <button class="button" type="submit">{t!(i18n, volunteers.record_hours)}</button>
            </ActionForm>
        </details>
    }
}

/// The volunteer's consent register, and the button that records their
/// withdrawal of news by SMS or, when not in force, their consent.
#[component]
fn NewsConsent(
    id: i64,
    granted: bool,
    entries: Vec<PartyConsentLine>,
    consent: ServerAction<RecordVolunteerConsent>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="records__meta">
            <summary>{t!(i18n, party_consents.title)}</summary>
            <ConsentEntries entries/>
        </details>
        <ActionForm action=consent attr:class="form form--inline" attr:id=format!("form-consent-{id}")>
            <input type="hidden" name="volunteer" value=id/>
            <input type="hidden" name="kind" value="news_sms"/>
            <input type="hidden" name="choice" value=if granted { "withdrawn" } else { "granted" }/>
            <button class="button" type="submit">
                {if granted { t!(i18n, party_consents.record_withdrawal).into_any() } else { t!(i18n, party_consents.record_grant).into_any() }}
            </button>
            <FormNotice problem form=consent_form(id)/>
        </ActionForm>
    }
}
