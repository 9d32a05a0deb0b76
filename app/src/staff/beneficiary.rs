//! One beneficiary's file (`/staff/beneficiaries/:id`): every request, service,
//! inquiry and complaint in one view, read through the audited path. Staff who
//! handle complaints record here one received by phone, letter or in person.

#[cfg(feature = "ssr")]
use crate::application::{access::can, personal_data};

use awn_domain::{channels::Channel, locale::Language, requests::RequestStatus, staff::Permission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{
    StaffSession,
    complaints::{ComplaintActions, ComplaintCard, ComplaintItem},
    labels::{channel_options, channel_text},
    sign_in::StaffGate,
};
use crate::{
    components::{
        dates::DualDateText,
        form::{FieldError, SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
    pages::not_found::set_response_status,
    preferences::language_of,
    requests::labels::status_text,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRequest {
    pub id: i64,
    pub reference: String,
    pub kind_name: String,
    pub status: RequestStatus,
    pub channel: Channel,
    pub submitted_at: i64,
    pub file_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileService {
    pub request_reference: String,
    pub what: String,
    pub amount: String,
    pub delivered_on: String,
    pub staff_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInquiry {
    pub channel: Channel,
    pub question: String,
    pub answer: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryView {
    pub id: i64,
    /// The name on the newest request (an account holds only a mobile number).
    pub name: Option<String>,
    pub national_id: Option<String>,
    pub mobile: String,
    pub language: Language,
    pub created_at: i64,
    pub requests: Vec<FileRequest>,
    pub services: Vec<FileService>,
    pub document_count: i64,
    pub inquiries: Vec<FileInquiry>,
    pub complaints: Vec<ComplaintItem>,
    /// The consent register: in force first, then the whole history.
    pub consents_in_force: Vec<crate::my_data::ConsentLine>,
    pub consent_history: Vec<crate::my_data::ConsentLine>,
    pub problem: Option<FormProblem>,
}

const RECORD_COMPLAINT_FORM: &str = "record-complaint";

#[server(endpoint = "staff/beneficiary")]
pub async fn load_beneficiary(id: i64, language: Language) -> Result<BeneficiaryView, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::ViewBeneficiaryFile>().await?;
    let file = personal_data::beneficiary_file(&context.database, &staff, id, personal_data::PURPOSE_CASEWORK).await?;
    let overview = file.overview;
    let newest = overview.requests.first();
    Ok(BeneficiaryView {
        id,
        name: newest.map(|r| r.full_name.clone()),
        national_id: newest.map(|r| r.national_id.clone()),
        mobile: overview.mobile.clone(),
        language: overview.language,
        created_at: overview.created_at,
        requests: overview
            .requests
            .iter()
            .map(|r| FileRequest {
                id: r.id,
                reference: r.reference.clone(),
                kind_name: r.support_kind_name(language).to_owned(),
                status: r.status,
                channel: r.channel,
                submitted_at: r.submitted_at,
                file_number: r.file_number.clone(),
            })
            .collect(),
        services: overview
            .services
            .into_iter()
            .map(|s| FileService {
                request_reference: s.request_reference,
                what: s.what,
                amount: format!("{} {}", s.quantity, s.unit),
                delivered_on: format!(
                    "{:04}-{:02}-{:02}",
                    s.delivered_on.year, s.delivered_on.month, s.delivered_on.day
                ),
                staff_name: s.staff_name,
            })
            .collect(),
        document_count: overview.document_count,
        inquiries: file
            .inquiries
            .into_iter()
            .map(|i| FileInquiry {
                channel: i.channel,
                question: i.question,
                answer: i.answer,
                created_at: i.created_at,
            })
            .collect(),
        complaints: file.complaints.into_iter().map(super::complaints::item_of).collect(),
        consents_in_force: awn_storage::consent::in_force(&file.consents)
            .iter()
            .map(crate::my_data::ConsentLine::from)
            .collect(),
        consent_history: file.consents.iter().map(crate::my_data::ConsentLine::from).collect(),
        problem: crate::forms::take_flash(),
    })
}

/// A complaint received by phone, letter or in person, recorded by staff.
#[server(endpoint = "staff/beneficiary/complaint")]
pub async fn record_complaint(
    beneficiary: i64,
    request: Option<String>,
    channel: Option<String>,
    body: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    use crate::{application::complaints, forms::finish};
    let staff = super::authorize::<can::HandleComplaint>().await?;
    let context = crate::state::app_context()?;
    let back = format!("/staff/beneficiaries/{beneficiary}");
    let (request_code, channel_code, text) = (request.as_deref(), channel.as_deref(), body.as_deref());
    match complaints::record_received(&context.database, &staff, beneficiary, request_code, channel_code, text).await? {
        Ok(()) => finish(&back, None),
        Err(refusal) => {
            let values = [("request", &request), ("channel", &channel), ("body", &body)];
            finish(&back, Some(refusal.on(RECORD_COMPLAINT_FORM).with_values(&values)))
        }
    }
}

#[component]
pub fn StaffBeneficiaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let record = ServerAction::<RecordComplaint>::new();
    let recorded = crate::forms::successes(record);
    let actions = ComplaintActions::default();
    let file = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
                language_of(i18n.get_locale()),
                recorded.get() + actions.changes(),
            )
        },
        |(id, language, _)| async move {
            match id {
                Some(id) => load_beneficiary(id, language).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <StaffGate children=move |session| view! { <FileView session file record actions/> }/> }
}

#[component]
fn FileView(
    session: StaffSession,
    file: Resource<Result<BeneficiaryView, AppError>>,
    record: ServerAction<RecordComplaint>,
    actions: ComplaintActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let may_handle = session.may(Permission::HandleComplaint);
    let may_invite = session.may(Permission::InviteToSurvey);
    let may_record_consent = session.may(Permission::RecordConsent);
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Err(error) => {
                        match error {
                            AppError::NotFound => set_response_status(404),
                            AppError::Forbidden | AppError::PolicyNotAccepted => set_response_status(403),
                            _ => {}
                        }
                        view! { <ErrorMessage error/> }.into_any()
                    }
                    Ok(file) => {
                        let locale = i18n.get_locale();
                        let problem = latest_problem(record, file.problem.clone());
                        let current = problem.get_untracked();
                        let form = RECORD_COMPLAINT_FORM.to_owned();
                        let chosen_request = typed(&current, RECORD_COMPLAINT_FORM, "request");
                        let chosen_channel = typed(&current, RECORD_COMPLAINT_FORM, "channel");
                        let from = format!("/staff/beneficiaries/{}", file.id);
                        let flash = file.problem.clone();
                        let title = file.name.clone().unwrap_or_else(|| file.mobile.clone());
                        view! {
                            <Title text=title.clone()/>
                            <h1>{title}</h1>
                            <section class="card">
                                <dl class="facts">
                                    {file.national_id.clone().map(|id| view! { <dt>{t!(i18n, wizard.national_id)}</dt><dd dir="ltr">{id}</dd> })}
                                    <dt>{t!(i18n, wizard.mobile)}</dt><dd dir="ltr">{file.mobile.clone()}</dd>
                                    <dt>{t!(i18n, beneficiary_file.since)}</dt><dd><DualDateText unix_seconds=file.created_at/></dd>
                                    <dt>{t!(i18n, staff.documents)}</dt><dd>{file.document_count}</dd>
                                </dl>
                            </section>
                            <section class="card">
                                <h2>{t!(i18n, beneficiary_file.requests)}</h2>
                                <ul class="queue">
                                    {file.requests.iter().map(|r| view! {
                                        <li class="queue__item">
                                            <a class="queue__link" href=format!("/staff/requests/{}", r.id)>
                                                <span class="reference" dir="ltr">{r.reference.clone()}</span> " · " {r.kind_name.clone()}
                                            </a>
                                            <span class=format!("status-badge status-badge--{}", r.status.code())>{status_text(locale, r.status)}</span>
                                            <span class="queue__meta">
                                                {channel_text(locale, r.channel)} " · " <DualDateText unix_seconds=r.submitted_at/>
                                                {r.file_number.clone().map(|n| view! { " · " {t!(i18n, staff.file_number)} " " <bdi dir="ltr">{n}</bdi> })}
                                            </span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            {(!file.services.is_empty()).then(|| view! {
                                <section class="card">
                                    <h2>{t!(i18n, staff.services)}</h2>
                                    <ul class="records">
                                        {file.services.iter().map(|s| view! {
                                            <li class="records__item">
                                                <strong>{s.what.clone()}</strong> " · " {s.amount.clone()}
                                                <span class="records__meta">
                                                    <bdi dir="ltr">{s.delivered_on.clone()}</bdi> " · " <bdi dir="ltr">{s.request_reference.clone()}</bdi>
                                                    " · " {s.staff_name.clone()}
                                                </span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {(!file.inquiries.is_empty()).then(|| view! {
                                <section class="card">
                                    <h2>{t!(i18n, beneficiary_file.inquiries)}</h2>
                                    <ul class="records">
                                        {file.inquiries.iter().map(|q| view! {
                                            <li class="records__item">
                                                <strong>{q.question.clone()}</strong>
                                                <span class="records__meta">{channel_text(locale, q.channel)} " · " <DualDateText unix_seconds=q.created_at/></span>
                                                <p class="records__body">{q.answer.clone().unwrap_or_else(|| t_string!(i18n, faq.waiting).to_string())}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <section class="card" aria-labelledby="file-consents-title">
                                <h2 id="file-consents-title">{t!(i18n, my_data.consents)}</h2>
                                {if file.consents_in_force.is_empty() {
                                    view! { <p>{t!(i18n, beneficiary_file.no_consents)}</p> }.into_any()
                                } else {
                                    view! {
                                        <dl class="facts file-consents">
                                            {file.consents_in_force.iter().map(|c| view! {
                                                <dt>{crate::my_data::consent_kind_text(locale, c.kind)} {(!c.party.is_empty()).then(|| format!(" {}", c.party))}</dt>
                                                <dd>{if c.granted { t_string!(i18n, consent.on) } else { t_string!(i18n, consent.off) }}
                                                    " · " <DualDateText unix_seconds=c.at/>
                                                    {c.document_id.map(|id| view! {
                                                        " · " <a href=format!("/staff/documents/{id}") download="" rel="external">
                                                            {t!(i18n, beneficiary_file.signed_form)}
                                                        </a>
                                                    })}
                                                </dd>
                                            }).collect_view()}
                                        </dl>
                                    }.into_any()
                                }}
                                {(file.consent_history.len() > file.consents_in_force.len()).then(|| view! {
                                    <details>
                                        <summary>{t!(i18n, my_data.history)}</summary>
                                        <ul class="records">
                                            {file.consent_history.iter().map(|c| view! {
                                                <li class="records__item">
                                                    {crate::my_data::consent_kind_text(locale, c.kind)} ": "
                                                    {if c.granted { t_string!(i18n, my_data.given) } else { t_string!(i18n, my_data.withdrawn) }}
                                                    <span class="records__meta"><bdi dir="ltr">{c.method.clone()}</bdi> " · " <DualDateText unix_seconds=c.at/></span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </details>
                                })}
                                {may_record_consent.then(|| {
                                    let flashed = Signal::stored(file.problem.clone());
                                    let form = crate::forms::SHARING_CONSENT_FORM.to_owned();
                                    let file_error = field_message(flashed, form.clone(), "file");
                                    view! {
                                        <h3>{t!(i18n, beneficiary_file.sharing_title)}</h3>
                                        <p class="field__hint">{t!(i18n, beneficiary_file.sharing_hint)}</p>
                                        {move || query.with(|q| q.get("consent").is_some()).then(|| view! {
                                            <p class="notice notice--success" role="status">{t!(i18n, beneficiary_file.sharing_recorded)}</p>
                                        })}
                                        <form method="post" action=format!("/staff/beneficiaries/{}/sharing-consent", file.id)
                                            enctype="multipart/form-data" class="form" id="form-sharing-consent">
                                            <TextField name="party" label=move || t_string!(i18n, beneficiary_file.sharing_party)
                                                value=typed(&file.problem, crate::forms::SHARING_CONSENT_FORM, "party") required=true
                                                error=field_message(flashed, form.clone(), "party")/>
                                            <div class="field" class:field--invalid=move || file_error.get().is_some()>
                                                <label class="field__label" for="sharing-file">{t!(i18n, beneficiary_file.sharing_file)}</label>
                                                <input class="field__input" id="sharing-file" type="file" name="file" required
                                                    accept="application/pdf,image/jpeg,image/png,image/webp"/>
                                                <FieldError id="sharing-file-error" error=file_error/>
                                            </div>
                                            <FormNotice problem=flashed form=form.clone()/>
                                            <button class="button" type="submit">{t!(i18n, beneficiary_file.sharing_record)}</button>
                                        </form>
                                    }
                                })}
                            </section>
                            <section class="card">
                                <h2>{t!(i18n, beneficiary_file.complaints)}</h2>
                                <ul class="complaints">
                                    {file.complaints.iter().cloned().map(|item| view! {
                                        <ComplaintCard item actions may_handle flash=flash.clone() from=from.clone()/>
                                    }).collect_view()}
                                </ul>
                                {may_handle.then(|| view! {
                                    <h3>{t!(i18n, beneficiary_file.record_complaint)}</h3>
                                    <ActionForm action=record attr:class="form" attr:id="form-record-complaint" attr:novalidate=true>
                                        <input type="hidden" name="beneficiary" value=file.id/>
                                        <SelectField name="channel" id="field-complaint-channel" label=move || t_string!(i18n, staff.channel)
                                            placeholder=move || t_string!(i18n, staff.intake_choose_channel)
                                            options=channel_options(locale) selected=chosen_channel.clone()
                                            error=field_message(problem, form.clone(), "channel")/>
                                        <SelectField name="request" id="field-complaint-request" label=move || t_string!(i18n, complaints.about)
                                            placeholder=move || t_string!(i18n, complaints.about_general)
                                            options=file.requests.iter().map(|r| (r.id.to_string(), r.reference.clone())).collect()
                                            selected=chosen_request.clone()
                                            error=field_message(problem, form.clone(), "request")/>
                                        <TextAreaField name="body" label=move || t_string!(i18n, complaints.body)
                                            value=typed(&current, RECORD_COMPLAINT_FORM, "body") required=true
                                            error=field_message(problem, form.clone(), "body")/>
                                        <FormNotice problem form=form.clone()/>
                                        <button class="button button--primary" type="submit">{t!(i18n, beneficiary_file.record_button)}</button>
                                    </ActionForm>
                                })}
                            </section>
                            {may_invite.then(|| view! { <super::surveys::SurveyInvite beneficiary=file.id/> })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
