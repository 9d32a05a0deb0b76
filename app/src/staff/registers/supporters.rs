//! Supporters (donors), individuals and organisations, and their contributions
//! (`/staff/supporters`, `/staff/supporters/{id}`). A supporter who asked to
//! stay anonymous is marked in the register and named in no report.

use awn_domain::{
    paging::PagePosition,
    parties::{ContributionChannel, ContributionKind, SupporterKind},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::application::{access::can, registers};
use crate::{
    components::{
        form::{SelectField, TextField},
        messages::ErrorMessage,
        pager::Pager,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    staff::{
        party_consents::{ConsentEntries, NEWS_KINDS, PartyConsentLine, in_force},
        sign_in::StaffGate,
    },
};

const ADD_FORM: &str = "add-supporter";
const CONTRIBUTION_FORM: &str = "add-contribution";
const CONSENT_FORM: &str = "supporter-consent";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupporterItem {
    pub id: i64,
    pub kind: SupporterKind,
    pub name: String,
    pub anonymous: bool,
    pub consent_news: bool,
    pub contributions: i64,
    pub total_halalas: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportersPage {
    pub items: Vec<SupporterItem>,
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionItem {
    pub kind: ContributionKind,
    pub amount_halalas: Option<i64>,
    pub received_on: String,
    pub purpose: String,
    pub channel: ContributionChannel,
    pub receipt_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupporterView {
    pub supporter: SupporterItem,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub contributions: Vec<ContributionItem>,
    /// Their entries in the consent register, newest first.
    pub consents: Vec<PartyConsentLine>,
    pub problem: Option<FormProblem>,
}

#[cfg(feature = "ssr")]
fn item(row: awn_storage::parties::SupporterRow) -> SupporterItem {
    SupporterItem {
        id: row.id,
        kind: row.kind,
        name: row.name,
        anonymous: row.anonymous,
        consent_news: row.consent_news,
        contributions: row.contributions,
        total_halalas: row.total_halalas,
    }
}

#[server(endpoint = "staff/supporters")]
pub async fn load_supporters(page: Option<String>) -> Result<SupportersPage, AppError> {
    let staff = crate::staff::authorize::<can::ManageSupporters>().await?;
    let context = crate::state::app_context()?;
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), super::PER_PAGE);
    let (rows, pages) = registers::supporters(&context.database, &staff, request).await?.split();
    Ok(SupportersPage { items: rows.into_iter().map(item).collect(), pages, problem: crate::forms::take_flash() })
}

#[server(endpoint = "staff/supporters/add")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn add_supporter(
    kind: Option<String>,
    name: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    anonymous: Option<String>,
    consent_news: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ManageSupporters>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::parties::SupporterForm {
        kind: kind.clone().unwrap_or_default(),
        name: name.clone().unwrap_or_default(),
        mobile: mobile.clone().unwrap_or_default(),
        email: email.clone().unwrap_or_default(),
        anonymous: anonymous.unwrap_or_default(),
        consent_news: consent_news.unwrap_or_default(),
    };
    match registers::add_supporter(&context.database, &staff, &form).await? {
        Ok(id) => crate::forms::finish(&format!("/staff/supporters/{id}"), None),
        Err(refused) => {
            let values = [("kind", &kind), ("name", &name), ("mobile", &mobile), ("email", &email)];
            crate::forms::finish("/staff/supporters", Some(refused.on(ADD_FORM).with_values(&values)))
        }
    }
}

#[server(endpoint = "staff/supporter")]
pub async fn load_supporter(id: i64) -> Result<SupporterView, AppError> {
    let staff = crate::staff::authorize::<can::ManageSupporters>().await?;
    let context = crate::state::app_context()?;
    let file = registers::supporter(&context.database, &staff, id).await?;
    Ok(SupporterView {
        supporter: item(file.supporter),
        mobile: file.mobile,
        email: file.email,
        contributions: file
            .contributions
            .into_iter()
            .map(|c| ContributionItem {
                kind: c.kind,
                amount_halalas: c.amount_halalas,
                received_on: c.received_on,
                purpose: c.purpose,
                channel: c.channel,
                receipt_number: c.receipt_number,
            })
            .collect(),
        consents: file.consents.iter().map(PartyConsentLine::from).collect(),
        problem: crate::forms::take_flash(),
    })
}

#[server(endpoint = "staff/supporters/contribution")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn add_contribution(
    supporter: i64,
    kind: Option<String>,
    amount: Option<String>,
    received_on: Option<String>,
    purpose: Option<String>,
    channel: Option<String>,
    receipt_number: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ManageSupporters>().await?;
    let context = crate::state::app_context()?;
    let form = awn_domain::parties::ContributionForm {
        kind: kind.clone().unwrap_or_default(),
        amount: amount.clone().unwrap_or_default(),
        received_on: received_on.clone().unwrap_or_default(),
        purpose: purpose.clone().unwrap_or_default(),
        channel: channel.clone().unwrap_or_default(),
        receipt_number: receipt_number.clone().unwrap_or_default(),
    };
    let back = format!("/staff/supporters/{supporter}");
    let added = registers::add_contribution(&context.database, &staff, supporter, &form).await?;
    let values = [
        ("kind", &kind),
        ("amount", &amount),
        ("received_on", &received_on),
        ("purpose", &purpose),
        ("channel", &channel),
        ("receipt_number", &receipt_number),
    ];
    crate::forms::finish(&back, added.err().map(|refused| refused.on(CONTRIBUTION_FORM).with_values(&values)))
}

/// Staff record a supporter's consent to news given or withdrawn (`choice`).
#[server(endpoint = "staff/supporters/consent")]
pub async fn record_supporter_consent(
    supporter: i64,
    kind: Option<String>,
    choice: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = crate::staff::authorize::<can::ManageSupporters>().await?;
    let context = crate::state::app_context()?;
    let recorded = crate::application::consent::record_supporter_news(
        &context,
        &staff,
        supporter,
        kind.as_deref().unwrap_or_default(),
        choice.as_deref().unwrap_or_default(),
    )
    .await?;
    let back = format!("/staff/supporters/{supporter}");
    crate::forms::finish(&back, recorded.err().map(|refused| refused.on(CONSENT_FORM)))
}

fn kind_text(locale: Locale, kind: SupporterKind) -> String {
    match kind {
        SupporterKind::Individual => td_string!(locale, registers.kind_individual),
        SupporterKind::Organisation => td_string!(locale, registers.kind_organisation),
    }
    .to_string()
}

fn contribution_kind_text(locale: Locale, kind: ContributionKind) -> String {
    match kind {
        ContributionKind::Money => td_string!(locale, registers.contribution_money),
        ContributionKind::InKind => td_string!(locale, registers.contribution_in_kind),
        ContributionKind::Service => td_string!(locale, registers.contribution_service),
    }
    .to_string()
}

fn channel_text(locale: Locale, channel: ContributionChannel) -> String {
    match channel {
        ContributionChannel::BankTransfer => td_string!(locale, registers.channel_bank_transfer),
        ContributionChannel::Cash => td_string!(locale, registers.channel_cash),
        ContributionChannel::Card => td_string!(locale, registers.channel_card),
        ContributionChannel::Online => td_string!(locale, registers.channel_online),
        ContributionChannel::Delivered => td_string!(locale, registers.channel_delivered),
    }
    .to_string()
}

#[component]
pub fn StaffSupportersPage() -> impl IntoView {
    let add = ServerAction::<AddSupporter>::new();
    let query = use_query_map();
    let page = Resource::new(move || query.with(|q| q.get("page")), load_supporters);
    view! { <StaffGate children=move |_session| view! { <SupportersList page add/> }/> }
}

#[component]
fn SupportersList(page: Resource<Result<SupportersPage, AppError>>, add: ServerAction<AddSupporter>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, registers.supporters_title).to_string()/>
        <h1>{t!(i18n, registers.supporters_title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let problem = latest_problem(add, page.problem.clone());
                        let pages = page.pages;
                        view! {
                            {page.items.is_empty().then(|| view! { <p class="notice">{t!(i18n, registers.supporters_empty)}</p> })}
                            <ul class="records">
                                {page.items.into_iter().map(|s| view! { <SupporterLine supporter=s/> }).collect_view()}
                            </ul>
                            <Pager position=pages/>
                            <AddSupporterForm add problem/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn SupporterLine(supporter: SupporterItem) -> impl IntoView {
    let i18n = use_i18n();
    let s = supporter;
    view! {
        <li class="card">
            <a href=format!("/staff/supporters/{}", s.id)>{s.name}</a>
            " · " {kind_text(i18n.get_locale(), s.kind)}
            {s.anonymous.then(|| view! { " · " <strong>{t!(i18n, registers.anonymous)}</strong> })}
            <p class="records__meta">
                {t!(i18n, registers.contributions_count, count = move || s.contributions)} " · "
                <bdi dir="ltr">{super::riyals(s.total_halalas)}</bdi> " " {t!(i18n, registers.riyal)}
            </p>
        </li>
    }
}

#[component]
fn AddSupporterForm(add: ServerAction<AddSupporter>, problem: Signal<Option<FormProblem>>) -> impl IntoView {
    let i18n = use_i18n();
    let typed_now = problem.get_untracked();
    let kinds = SupporterKind::ALL.iter().map(|k| (k.code().to_owned(), kind_text(i18n.get_locale(), *k))).collect();
    view! {
        <section class="card" aria-labelledby="add-supporter-title">
            <h2 id="add-supporter-title">{t!(i18n, registers.add_supporter)}</h2>
            <ActionForm action=add attr:class="form" attr:id="form-add-supporter" attr:novalidate=true>
                <SelectField name="kind" id="field-kind" label=move || t_string!(i18n, registers.kind)
                    placeholder=move || t_string!(i18n, registers.choose) options=kinds
                    selected=typed(&typed_now, ADD_FORM, "kind") error=field_message(problem, ADD_FORM.into(), "kind")/>
                <TextField name="name" label=move || t_string!(i18n, registers.name)
                    value=typed(&typed_now, ADD_FORM, "name") error=field_message(problem, ADD_FORM.into(), "name")/>
                <TextField name="mobile" label=move || t_string!(i18n, registers.mobile_optional) inputmode="tel" dir="ltr"
                    value=typed(&typed_now, ADD_FORM, "mobile") error=field_message(problem, ADD_FORM.into(), "mobile")/>
                <TextField name="email" label=move || t_string!(i18n, registers.email_optional) input_type="email" dir="ltr"
                    value=typed(&typed_now, ADD_FORM, "email") error=field_message(problem, ADD_FORM.into(), "email")/>
                <label class="choice"><input type="checkbox" name="anonymous" value="on"/>{t!(i18n, registers.anonymous_ask)}</label>
                <label class="choice"><input type="checkbox" name="consent_news" value="on"/>{t!(i18n, registers.consent_news)}</label>
                <FormNotice problem form=ADD_FORM/>
                <button class="button button--primary" type="submit">{t!(i18n, registers.add_supporter)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn StaffSupporterPage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<AddContribution>::new();
    let consent = ServerAction::<RecordSupporterConsent>::new();
    let added = crate::forms::successes(add);
    let recorded = crate::forms::successes(consent);
    let file = Resource::new(
        move || (params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())), added.get(), recorded.get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => load_supporter(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <StaffGate children=move |_session| view! { <SupporterFileView file add consent/> }/> }
}

#[component]
fn SupporterFileView(
    file: Resource<Result<SupporterView, AppError>>,
    add: ServerAction<AddContribution>,
    consent: ServerAction<RecordSupporterConsent>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, registers.supporters_title).to_string()/>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(view) => view! { <SupporterRecord view add consent/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SupporterRecord(
    view: SupporterView,
    add: ServerAction<AddContribution>,
    consent: ServerAction<RecordSupporterConsent>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = view.supporter.clone();
    let problem = latest_problem(add, view.problem.clone());
    let consent_problem = latest_problem(consent, view.problem.clone());
    let none = || "—".to_owned();
    view! {
        <h1>{s.name.clone()}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, registers.kind)}</dt><dd>{kind_text(i18n.get_locale(), s.kind)}</dd>
                <dt>{t!(i18n, registers.mobile_optional)}</dt><dd><bdi dir="ltr">{view.mobile.clone().unwrap_or_else(none)}</bdi></dd>
                <dt>{t!(i18n, registers.email_optional)}</dt><dd><bdi dir="ltr">{view.email.clone().unwrap_or_else(none)}</bdi></dd>
                <dt>{t!(i18n, registers.anonymous)}</dt>
                <dd>{if s.anonymous { t!(i18n, registers.yes).into_any() } else { t!(i18n, registers.no).into_any() }}</dd>
                <dt>{t!(i18n, registers.consent_news)}</dt>
                <dd>{if s.consent_news { t!(i18n, registers.yes).into_any() } else { t!(i18n, registers.no).into_any() }}</dd>
            </dl>
        </section>
        <SupporterConsents supporter=s.id entries=view.consents.clone() consent problem=consent_problem/>
        <ContributionsTable contributions=view.contributions.clone()/>
        <ContributionFormCard supporter=s.id add problem/>
        <p><a href="/staff/supporters">{t!(i18n, registers.back_to_supporters)}</a></p>
    }
}

#[component]
fn ContributionsTable(contributions: Vec<ContributionItem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="contributions-title">
            <h2 id="contributions-title">{t!(i18n, registers.contributions)}</h2>
            {contributions.is_empty().then(|| view! { <p>{t!(i18n, registers.no_contributions)}</p> })}
            <ul class="records">
                {contributions.into_iter().map(|c| view! {
                    <li>
                        <bdi dir="ltr">{c.received_on}</bdi> " · " {contribution_kind_text(i18n.get_locale(), c.kind)}
                        {c.amount_halalas.map(|amount| view! { " · " <bdi dir="ltr">{super::riyals(amount)}</bdi> " " {t!(i18n, registers.riyal)} })}
                        " · " {channel_text(i18n.get_locale(), c.channel)}
                        {(!c.purpose.is_empty()).then(|| view! { " · " {c.purpose.clone()} })}
                        {(!c.receipt_number.is_empty()).then(|| view! { " · " {t!(i18n, registers.receipt)} " " <bdi dir="ltr">{c.receipt_number.clone()}</bdi> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ContributionFormCard(
    supporter: i64,
    add: ServerAction<AddContribution>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed_now = problem.get_untracked();
    let locale = i18n.get_locale();
    let kinds =
        ContributionKind::ALL.iter().map(|k| (k.code().to_owned(), contribution_kind_text(locale, *k))).collect();
    let channels = ContributionChannel::ALL.iter().map(|c| (c.code().to_owned(), channel_text(locale, *c))).collect();
    let f = CONTRIBUTION_FORM;
    view! {
        <section class="card" aria-labelledby="add-contribution-title">
            <h2 id="add-contribution-title">{t!(i18n, registers.add_contribution)}</h2>
            <ActionForm action=add attr:class="form" attr:id="form-add-contribution" attr:novalidate=true>
                <input type="hidden" name="supporter" value=supporter/>
                <SelectField name="kind" id="field-contribution-kind" label=move || t_string!(i18n, registers.contribution_kind)
                    placeholder=move || t_string!(i18n, registers.choose) options=kinds
                    selected=typed(&typed_now, f, "kind") error=field_message(problem, f.into(), "kind")/>
                <TextField name="amount" label=move || t_string!(i18n, registers.amount) inputmode="decimal" dir="ltr"
                    value=typed(&typed_now, f, "amount") error=field_message(problem, f.into(), "amount")/>
                <TextField name="received_on" label=move || t_string!(i18n, registers.received_on) dir="ltr"
                    hint=move || t_string!(i18n, registers.day_hint)
                    value=typed(&typed_now, f, "received_on") error=field_message(problem, f.into(), "received_on")/>
                <TextField name="purpose" label=move || t_string!(i18n, registers.purpose)
                    value=typed(&typed_now, f, "purpose") error=field_message(problem, f.into(), "purpose")/>
                <SelectField name="channel" id="field-contribution-channel" label=move || t_string!(i18n, registers.channel)
                    placeholder=move || t_string!(i18n, registers.choose) options=channels
                    selected=typed(&typed_now, f, "channel") error=field_message(problem, f.into(), "channel")/>
                <TextField name="receipt_number" label=move || t_string!(i18n, registers.receipt) dir="ltr"
                    value=typed(&typed_now, f, "receipt_number") error=field_message(problem, f.into(), "receipt_number")/>
                <FormNotice problem form=f/>
                <button class="button button--primary" type="submit">{t!(i18n, registers.add_contribution)}</button>
            </ActionForm>
        </section>
    }
}

/// The supporter's consent register, and for each news consent the button
/// that records its withdrawal or, when not in force, the supporter's consent.
#[component]
fn SupporterConsents(
    supporter: i64,
    entries: Vec<PartyConsentLine>,
    consent: ServerAction<RecordSupporterConsent>,
    problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    let forms = NEWS_KINDS
        .into_iter()
        .map(|kind| {
            let granted = in_force(&entries, kind);
            view! {
                <ActionForm action=consent attr:class="form form--inline" attr:id=format!("form-consent-{}", kind.code())>
                    <input type="hidden" name="supporter" value=supporter/>
                    <input type="hidden" name="kind" value=kind.code()/>
                    <input type="hidden" name="choice" value=if granted { "withdrawn" } else { "granted" }/>
                    {crate::my_data::consent_kind_text(locale, kind)} ": "
                    {if granted { t!(i18n, party_consents.news_in_force).into_any() } else { t!(i18n, party_consents.news_not_in_force).into_any() }}
                    " "
                    <button class="button" type="submit">
                        {if granted { t!(i18n, party_consents.record_withdrawal).into_any() } else { t!(i18n, party_consents.record_grant).into_any() }}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="supporter-consents-title">
            <h2 id="supporter-consents-title">{t!(i18n, party_consents.title)}</h2>
            <ConsentEntries entries=entries.clone()/>
            <h3>{t!(i18n, party_consents.news_heading)}</h3>
            <p class="hint">{t!(i18n, party_consents.news_hint)}</p>
            {forms}
            <FormNotice problem form=CONSENT_FORM/>
        </section>
    }
}
