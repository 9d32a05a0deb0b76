//! The beneficiary file's sections: who they are, their requests, services,
//! inquiries, consents (with the signed sharing form) and complaints (with the
//! form staff record one received offline on).

use awn_domain::staff::Permission;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{BeneficiaryView, FileInquiry, FileRequest, FileService, RECORD_COMPLAINT_FORM, RecordComplaint};
use crate::{
    components::{
        dates::DualDateText,
        form::{FieldError, SelectField, TextAreaField, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    forms::{FormNotice, FormProblem, SHARING_CONSENT_FORM, field_message, latest_problem, typed},
    i18n::*,
    my_data::{ConsentLine, consent_kind_text},
    pages::not_found::set_response_status,
    requests::labels::status_text,
    staff::{
        StaffSession,
        complaints::{ComplaintActions, ComplaintCard, ComplaintItem},
        labels::{channel_options, channel_text},
        surveys::SurveyInvite,
    },
};

/// What the signed-in staff member may do on the file.
#[derive(Debug, Clone, Copy)]
struct FileRights {
    handle_complaints: bool,
    invite: bool,
    record_consent: bool,
}

#[component]
pub(super) fn FileView(
    session: StaffSession,
    file: Resource<Result<BeneficiaryView, AppError>>,
    record: ServerAction<RecordComplaint>,
    actions: ComplaintActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let may = FileRights {
        handle_complaints: session.may(Permission::HandleComplaint),
        invite: session.may(Permission::InviteToSurvey),
        record_consent: session.may(Permission::RecordConsent),
    };
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
                        view! { <FileSections file locale may record actions/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn FileSections(
    file: BeneficiaryView,
    locale: Locale,
    may: FileRights,
    record: ServerAction<RecordComplaint>,
    actions: ComplaintActions,
) -> impl IntoView {
    let title = file.name.clone().unwrap_or_else(|| file.mobile.clone());
    let choices: Vec<(String, String)> =
        file.requests.iter().map(|r| (r.id.to_string(), r.reference.clone())).collect();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <FileFacts national_id=file.national_id mobile=file.mobile created_at=file.created_at
            document_count=file.document_count/>
        <FileRequests requests=file.requests locale/>
        {(!file.services.is_empty()).then(|| view! { <FileServices services=file.services/> })}
        {(!file.inquiries.is_empty()).then(|| view! { <FileInquiries inquiries=file.inquiries locale/> })}
        <FileConsents beneficiary=file.id in_force=file.consents_in_force history=file.consent_history
            flash=file.problem.clone() locale may_record=may.record_consent/>
        <FileComplaints beneficiary=file.id complaints=file.complaints requests=choices flash=file.problem
            record actions may_handle=may.handle_complaints locale/>
        {may.invite.then(|| view! { <SurveyInvite beneficiary=file.id options=file.invitable_surveys.clone()/> })}
    }
}

#[component]
fn FileFacts(national_id: Option<String>, mobile: String, created_at: i64, document_count: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <dl class="facts">
                {national_id.map(|id| view! { <dt>{t!(i18n, wizard.national_id)}</dt><dd><bdi dir="ltr">{id}</bdi></dd> })}
                <dt>{t!(i18n, wizard.mobile)}</dt><dd><bdi dir="ltr">{mobile}</bdi></dd>
                <dt>{t!(i18n, beneficiary_file.since)}</dt><dd><DualDateText unix_seconds=created_at/></dd>
                <dt>{t!(i18n, staff.documents)}</dt><dd>{document_count}</dd>
            </dl>
        </section>
    }
}

#[component]
fn FileRequests(requests: Vec<FileRequest>, locale: Locale) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, beneficiary_file.requests)}</h2>
            <ul class="queue">
                {requests.into_iter().map(|r| view! {
                    <li class="queue__item">
                        <a class="queue__link" href=format!("/staff/requests/{}", r.id)>
                            <span class="reference" dir="ltr">{r.reference}</span> " · " {r.kind_name}
                        </a>
                        <span class=format!("status-badge status-badge--{}", r.status.code())>{status_text(locale, r.status)}</span>
                        <span class="queue__meta">
                            {channel_text(locale, r.channel)} " · " <DualDateText unix_seconds=r.submitted_at/>
                            {r.file_number.map(|n| view! { " · " {t!(i18n, staff.file_number)} " " <bdi dir="ltr">{n}</bdi> })}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn FileServices(services: Vec<FileService>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, staff.services)}</h2>
            <ul class="records">
                {services.into_iter().map(|s| view! {
                    <li class="records__item">
                        <strong>{s.what}</strong> " · " {s.amount}
                        <span class="records__meta">
                            <bdi dir="ltr">{s.delivered_on}</bdi> " · " <bdi dir="ltr">{s.request_reference}</bdi>
                            " · " {s.staff_name}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn FileInquiries(inquiries: Vec<FileInquiry>, locale: Locale) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, beneficiary_file.inquiries)}</h2>
            <ul class="records">
                {inquiries.into_iter().map(|q| view! {
                    <li class="records__item">
                        <strong>{q.question}</strong>
                        <span class="records__meta">{channel_text(locale, q.channel)} " · " <DualDateText unix_seconds=q.created_at/></span>
                        <p class="records__body">{q.answer.unwrap_or_else(|| t_string!(i18n, faq.waiting).to_string())}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The consent register: in force, the whole history, and the form staff
/// record a signed sharing consent on.
#[component]
fn FileConsents(
    beneficiary: i64,
    in_force: Vec<ConsentLine>,
    history: Vec<ConsentLine>,
    flash: Option<FormProblem>,
    locale: Locale,
    may_record: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let more_history = history.len() > in_force.len();
    view! {
        <section class="card" aria-labelledby="file-consents-title">
            <h2 id="file-consents-title">{t!(i18n, my_data.consents)}</h2>
            {if in_force.is_empty() {
                view! { <p>{t!(i18n, beneficiary_file.no_consents)}</p> }.into_any()
            } else {
                view! {
                    <dl class="facts file-consents">
                        {in_force.into_iter().map(|c| view! {
                            <dt>{consent_kind_text(locale, c.kind)} {(!c.party.is_empty()).then(|| format!(" {}", c.party))}</dt>
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
            {more_history.then(|| view! {
                <details>
                    <summary>{t!(i18n, my_data.history)}</summary>
                    <ul class="records">
                        {history.into_iter().map(|c| view! {
                            <li class="records__item">
                                {consent_kind_text(locale, c.kind)} ": "
                                {if c.granted { t_string!(i18n, my_data.given) } else { t_string!(i18n, my_data.withdrawn) }}
                                <span class="records__meta">{crate::staff::party_consents::method_text(locale, &c.method)} " · " <DualDateText unix_seconds=c.at/></span>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {may_record.then(|| view! { <SharingConsentForm beneficiary flash/> })}
        </section>
    }
}

/// A consent to share, given on a signed form staff upload (a plain multipart form).
#[component]
fn SharingConsentForm(beneficiary: i64, flash: Option<FormProblem>) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let party = typed(&flash, SHARING_CONSENT_FORM, "party");
    let flashed = Signal::stored(flash);
    let form = SHARING_CONSENT_FORM.to_owned();
    let file_error = field_message(flashed, form.clone(), "file");
    view! {
        <h3>{t!(i18n, beneficiary_file.sharing_title)}</h3>
        <p class="field__hint">{t!(i18n, beneficiary_file.sharing_hint)}</p>
        {move || query.with(|q| q.get("consent").is_some()).then(|| view! {
            <p class="notice notice--success" role="status">{t!(i18n, beneficiary_file.sharing_recorded)}</p>
        })}
        <form method="post" action=format!("/staff/beneficiaries/{beneficiary}/sharing-consent")
            enctype="multipart/form-data" class="form" id="form-sharing-consent">
            <TextField name="party" label=move || t_string!(i18n, beneficiary_file.sharing_party)
                value=party required=true
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
}

/// The beneficiary's complaints, each with the forms to move it on, and the
/// form a complaint received offline is recorded on.
#[component]
fn FileComplaints(
    beneficiary: i64,
    complaints: Vec<ComplaintItem>,
    /// The beneficiary's requests a complaint may be about: (id, reference).
    requests: Vec<(String, String)>,
    flash: Option<FormProblem>,
    record: ServerAction<RecordComplaint>,
    actions: ComplaintActions,
    may_handle: bool,
    locale: Locale,
) -> impl IntoView {
    let i18n = use_i18n();
    let from = format!("/staff/beneficiaries/{beneficiary}");
    view! {
        <section class="card">
            <h2>{t!(i18n, beneficiary_file.complaints)}</h2>
            <ul class="complaints">
                {complaints.into_iter().map(|item| view! {
                    <ComplaintCard item actions may_handle flash=flash.clone() from=from.clone()/>
                }).collect_view()}
            </ul>
            {may_handle.then(|| view! { <RecordComplaintForm beneficiary requests flash record locale/> })}
        </section>
    }
}

#[component]
fn RecordComplaintForm(
    beneficiary: i64,
    requests: Vec<(String, String)>,
    flash: Option<FormProblem>,
    record: ServerAction<RecordComplaint>,
    locale: Locale,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(record, flash);
    let current = problem.get_untracked();
    let form = RECORD_COMPLAINT_FORM.to_owned();
    view! {
        <h3>{t!(i18n, beneficiary_file.record_complaint)}</h3>
        <ActionForm action=record attr:class="form" attr:id="form-record-complaint" attr:novalidate=true>
            <input type="hidden" name="beneficiary" value=beneficiary/>
            <SelectField name="channel" id="field-complaint-channel" label=move || t_string!(i18n, staff.channel)
                placeholder=move || t_string!(i18n, staff.intake_choose_channel)
                options=channel_options(locale) selected=typed(&current, RECORD_COMPLAINT_FORM, "channel")
                error=field_message(problem, form.clone(), "channel")/>
            <SelectField name="request" id="field-complaint-request" label=move || t_string!(i18n, complaints.about)
                placeholder=move || t_string!(i18n, complaints.about_general)
                options=requests selected=typed(&current, RECORD_COMPLAINT_FORM, "request")
                error=field_message(problem, form.clone(), "request")/>
            <TextAreaField name="body" label=move || t_string!(i18n, complaints.body)
                value=typed(&current, RECORD_COMPLAINT_FORM, "body") required=true
                error=field_message(problem, form.clone(), "body")/>
            <FormNotice problem form=form.clone()/>
            <button class="button button--primary" type="submit">{t!(i18n, beneficiary_file.record_button)}</button>
        </ActionForm>
    }
}
