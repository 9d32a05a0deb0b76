//! "My data and privacy" (`/my-data`): everything the association holds about
//! the signed-in beneficiary, downloadable as JSON and as a readable page
//! (`/my-data/export.json`, `/my-data/export.html`); their consents, each given
//! or withdrawn with one tap and with its history; and requests to correct or
//! delete their data, followed to the privacy officer's answer.

use awn_domain::{
    consent::ConsentKind,
    locale::Language,
    privacy::{DataRequestKind, DataRequestStatus},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::{
    components::{dates::DualDateText, form::TextAreaField, messages::ErrorMessage},
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    preferences::language_of,
};

/// One request with the personal data it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequestData {
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub full_name: String,
    pub national_id: String,
    pub birth_date: String,
    pub mobile: String,
    pub email: Option<String>,
    pub city: String,
    pub district: String,
    pub household_members: i64,
    pub monthly_income: i64,
    pub description: String,
    pub signature: String,
    pub declaration_version: String,
    pub submitted_at: i64,
    pub documents: Vec<String>,
    pub messages: Vec<String>,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentLine {
    pub kind: ConsentKind,
    pub party: String,
    pub granted: bool,
    pub method: String,
    pub at: i64,
    /// The signed form it was given on, if any.
    pub document_id: Option<i64>,
}

#[cfg(feature = "ssr")]
impl From<&awn_storage::consent::ConsentEntry> for ConsentLine {
    fn from(entry: &awn_storage::consent::ConsentEntry) -> Self {
        ConsentLine {
            kind: entry.kind,
            party: entry.party.clone(),
            granted: entry.granted,
            method: entry.method.clone(),
            at: entry.created_at,
            document_id: entry.document_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRequestLine {
    pub kind: DataRequestKind,
    pub details: String,
    pub status: DataRequestStatus,
    pub due_at: i64,
    pub outcome: Option<String>,
    pub created_at: i64,
}

/// All the data held about one beneficiary: the page and both downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataExport {
    pub mobile: String,
    pub language: Language,
    pub requests: Vec<MyRequestData>,
    /// (question, answer)
    pub inquiries: Vec<(String, Option<String>)>,
    /// (complaint, resolution)
    pub complaints: Vec<(String, Option<String>)>,
    /// Consents in force first, then the whole history, newest first.
    pub consents_in_force: Vec<ConsentLine>,
    pub consent_history: Vec<ConsentLine>,
    /// (authority, order reference, order date, what was disclosed)
    pub disclosures: Vec<(String, String, String, String)>,
    pub data_requests: Vec<DataRequestLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataPage {
    pub data: MyDataExport,
    pub problem: Option<FormProblem>,
}

const DATA_REQUEST_FORM: &str = "data-request";

#[server(endpoint = "my_data")]
pub async fn load_my_data(language: Language) -> Result<MyDataPage, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    Ok(MyDataPage {
        data: crate::application::my_data::export(&context.database, account.id, language).await?,
        problem: crate::forms::take_flash(),
    })
}

/// Gives or withdraws a consent given online (news by SMS or email,
/// publication); a sharing consent can be withdrawn here, never given.
#[server(endpoint = "my_data/consent")]
pub async fn change_my_consent(kind: String, party: Option<String>, granted: String) -> Result<(), AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    crate::application::my_data::change_consent(&context.database, &account, &kind, party.as_deref(), granted == "1")
        .await?;
    if crate::session::is_plain_form_post() {
        leptos_axum::redirect("/my-data");
    }
    Ok(())
}

/// Asks for a correction (saying what) or for the deletion of one's data.
#[server(endpoint = "my_data/request")]
pub async fn ask_about_my_data(kind: String, details: Option<String>) -> Result<Option<FormProblem>, AppError> {
    use crate::forms::finish;
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    match crate::application::my_data::ask(&context.database, &account, &kind, details.as_deref()).await? {
        Ok(()) => finish("/my-data?asked=1", None),
        Err(refusal) => finish("/my-data", Some(refusal.on(DATA_REQUEST_FORM).with_values(&[("details", &details)]))),
    }
}

pub fn consent_kind_text(locale: Locale, kind: ConsentKind) -> String {
    match kind {
        ConsentKind::NewsBySms => td_string!(locale, my_data.news_sms),
        ConsentKind::NewsByEmail => td_string!(locale, my_data.news_email),
        ConsentKind::Publication => td_string!(locale, my_data.publication),
        ConsentKind::Sharing => td_string!(locale, my_data.sharing),
    }
    .to_string()
}

#[component]
pub fn MyDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let consent = ServerAction::<ChangeMyConsent>::new();
    let ask = ServerAction::<AskAboutMyData>::new();
    let asked = crate::forms::successes(ask);
    let page = Resource::new(
        move || (language_of(i18n.get_locale()), consent.version().get() + asked.get()),
        |(language, _)| load_my_data(language),
    );
    view! {
        <Title text=t_string!(i18n, my_data.title).to_string()/>
        <h1>{t!(i18n, my_data.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(AppError::SignInRequired) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let locale = i18n.get_locale();
                        let data = page.data;
                        let disclosures = data.disclosures.len();
                        view! {
                            <MyConsents in_force=data.consents_in_force history=data.consent_history consent locale/>
                            <MyDataSummary mobile=data.mobile requests=data.requests.len() disclosures/>
                            <MyDataRequests requests=data.data_requests flash=page.problem ask/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The consents given online, each given or withdrawn with one tap; the
/// sharing consents in force, which can be withdrawn here; the history.
#[component]
fn MyConsents(
    in_force: Vec<ConsentLine>,
    history: Vec<ConsentLine>,
    consent: ServerAction<ChangeMyConsent>,
    locale: Locale,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_on = |kind: ConsentKind| in_force.iter().any(|c| c.kind == kind && c.party.is_empty() && c.granted);
    let online =
        [ConsentKind::NewsBySms, ConsentKind::NewsByEmail, ConsentKind::Publication].map(|kind| (kind, is_on(kind)));
    let sharing: Vec<ConsentLine> =
        in_force.into_iter().filter(|c| c.kind == ConsentKind::Sharing && c.granted).collect();
    view! {
        <section class="card" aria-labelledby="consents-title">
            <h2 id="consents-title">{t!(i18n, my_data.consents)}</h2>
            <p>{t!(i18n, my_data.consents_lead)}</p>
            <ul class="records">
                {online.into_iter().map(|(kind, on)| {
                    view! {
                        <li class="records__item consent-line" id=format!("consent-{}", kind.code())>
                            <strong>{consent_kind_text(locale, kind)}</strong>
                            <span class="consent-line__state">{if on { t_string!(i18n, consent.on) } else { t_string!(i18n, consent.off) }}</span>
                            <ActionForm action=consent attr:class="form form--inline">
                                <input type="hidden" name="kind" value=kind.code()/>
                                <input type="hidden" name="granted" value=if on { "0" } else { "1" }/>
                                <button class="button" type="submit">
                                    {if on { t!(i18n, my_data.withdraw).into_any() } else { t!(i18n, my_data.give).into_any() }}
                                </button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
                {sharing.into_iter().map(|c| view! {
                    <li class="records__item consent-line">
                        <strong>{consent_kind_text(locale, c.kind)} ": " {c.party.clone()}</strong>
                        <ActionForm action=consent attr:class="form form--inline">
                            <input type="hidden" name="kind" value="sharing"/>
                            <input type="hidden" name="party" value=c.party.clone()/>
                            <input type="hidden" name="granted" value="0"/>
                            <button class="button" type="submit">{t!(i18n, my_data.withdraw)}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            {(!history.is_empty()).then(|| view! {
                <details>
                    <summary>{t!(i18n, my_data.history)}</summary>
                    <ul class="records">
                        {history.into_iter().map(|c| view! {
                            <li class="records__item">
                                {consent_kind_text(locale, c.kind)} {(!c.party.is_empty()).then(|| format!(" ({})", c.party))} ": "
                                {if c.granted { t_string!(i18n, my_data.given) } else { t_string!(i18n, my_data.withdrawn) }}
                                <span class="records__meta"><DualDateText unix_seconds=c.at/></span>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}

/// What is held, in short, and the two downloads of all of it.
#[component]
fn MyDataSummary(mobile: String, requests: usize, disclosures: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="data-title">
            <h2 id="data-title">{t!(i18n, my_data.data)}</h2>
            <p>{t!(i18n, my_data.data_lead)}</p>
            <p class="page-actions">
                <a class="button" href="/my-data/export.html" rel="external">{t!(i18n, my_data.download_html)}</a>
                " "
                <a class="button" href="/my-data/export.json" rel="external" download="">{t!(i18n, my_data.download_json)}</a>
            </p>
            <dl class="facts">
                <dt>{t!(i18n, wizard.mobile)}</dt><dd><bdi dir="ltr">{mobile}</bdi></dd>
                <dt>{t!(i18n, my_data.requests_count)}</dt><dd>{requests}</dd>
                <dt>{t!(i18n, my_data.disclosures)}</dt>
                <dd>{if disclosures == 0 { t_string!(i18n, my_data.no_disclosures).to_string() } else { disclosures.to_string() }}</dd>
            </dl>
        </section>
    }
}

/// The form to ask for a correction or a deletion, and each request asked,
/// followed to the privacy officer's answer.
#[component]
fn MyDataRequests(
    requests: Vec<DataRequestLine>,
    flash: Option<FormProblem>,
    ask: ServerAction<AskAboutMyData>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(ask, flash);
    let current = problem.get_untracked();
    let form = DATA_REQUEST_FORM.to_owned();
    view! {
        <section class="card" aria-labelledby="data-requests-title">
            <h2 id="data-requests-title">{t!(i18n, my_data.requests_title)}</h2>
            <ActionForm action=ask attr:class="form" attr:id="form-data-request" attr:novalidate=true>
                <fieldset class="choices">
                    <legend>{t!(i18n, my_data.what_to_ask)}</legend>
                    <label class="choice"><input type="radio" name="kind" value="correction" checked=true/>{t!(i18n, my_data.correction)}</label>
                    <label class="choice"><input type="radio" name="kind" value="deletion"/>{t!(i18n, my_data.deletion)}</label>
                </fieldset>
                <TextAreaField name="details" label=move || t_string!(i18n, my_data.details)
                    value=typed(&current, DATA_REQUEST_FORM, "details")
                    error=field_message(problem, form.clone(), "details")/>
                <FormNotice problem form=form.clone()/>
                <button class="button button--primary" type="submit">{t!(i18n, my_data.send_request)}</button>
            </ActionForm>
            <ul class="records">
                {requests.into_iter().map(|r| view! {
                    <li class="records__item data-request">
                        <strong>{if r.kind == DataRequestKind::Deletion { t_string!(i18n, my_data.deletion) } else { t_string!(i18n, my_data.correction) }}</strong>
                        <span class="records__meta">
                            {match r.status { DataRequestStatus::Open => t_string!(i18n, my_data.status_open), DataRequestStatus::Done => t_string!(i18n, my_data.status_done), DataRequestStatus::Refused => t_string!(i18n, my_data.status_refused) }}
                            " · " {t!(i18n, my_data.due)} " " <DualDateText unix_seconds=r.due_at/>
                        </span>
                        {(!r.details.is_empty()).then(|| view! { <p class="records__body">{r.details.clone()}</p> })}
                        {r.outcome.clone().map(|o| view! { <p class="records__body"><strong>{t!(i18n, my_data.outcome)}</strong> " " {o}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
