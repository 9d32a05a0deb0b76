//! A request's tracking page (A3, A13): where it stands, every state it has been
//! through, the documents asked for with an upload right there, and the
//! conversation with staff.

use awn_domain::{locale::Language, requests::RequestStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_params_map, use_query_map},
};
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        dates::DualDateText,
        form::{FieldError, TextArea},
        messages::ErrorMessage,
    },
    error::AppError,
    flash::FormFlash,
    i18n::*,
    pages::not_found::set_response_status,
    preferences::language_of,
    requests::{
        household::{HouseholdCard, RequestHousehold},
        labels::status_text,
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineView {
    pub status: RequestStatus,
    pub reason: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedDocumentView {
    pub id: i64,
    pub description: String,
    pub asked_at: i64,
    pub fulfilled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    pub file_name: String,
    pub uploaded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub from_staff: bool,
    pub body: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestTracking {
    pub id: i64,
    pub reference: String,
    pub kind_name: String,
    pub status: RequestStatus,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    /// The deadline that applies now: what is missing, or the committee's.
    pub deadline: Option<crate::deadlines::DeadlineView>,
    pub description: String,
    pub timeline: Vec<TimelineView>,
    pub asked_documents: Vec<AskedDocumentView>,
    pub documents: Vec<DocumentView>,
    pub messages: Vec<MessageView>,
    /// Served or closed: evaluating it is the beneficiary's right (C1).
    /// `Some(true)` once evaluated.
    pub evaluation: Option<bool>,
    /// The household's members besides the applicant (issue 15).
    pub household: Vec<crate::requests::household::MemberLine>,
    /// The applicant may still correct them: the committee has not decided.
    pub household_editable: bool,
    /// A problem to show after a plain form post (upload, message, household).
    pub flash: Option<FormFlash>,
}

#[server(endpoint = "requests/tracking")]
pub async fn load_request_tracking(id: i64, language: Language) -> Result<RequestTracking, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let tracking = crate::application::requests::tracking(&context.database, &account, id, language).await?;
    Ok(RequestTracking { flash: crate::flash::take("tracking"), ..tracking })
}

/// Longest message a beneficiary may send at once.
pub use awn_domain::casework::MAX_MESSAGE_CHARS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageProblem {
    Empty,
    TooLong,
}

/// Sends a message to the staff handling the request.
#[server(endpoint = "requests/send_message")]
pub async fn send_request_message(request: i64, body: String) -> Result<Option<MessageProblem>, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let problem = crate::application::requests::send_message(&context.database, &account, request, &body).await?;
    if let Some(problem) = problem {
        crate::flash::keep_for_next_page(&FormFlash {
            form: "tracking".into(),
            values: vec![("kind".into(), "message".into()), ("body".into(), body)],
            problem: match problem {
                MessageProblem::Empty => "message_empty".into(),
                MessageProblem::TooLong => "message_too_long".into(),
            },
            number: 0,
        });
    }
    Ok(problem)
}

/// The words for an upload refused by /uploads/….
pub fn upload_problem_text(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "too_large" => t_string!(i18n, documents.too_large),
        "wrong_type" => t_string!(i18n, documents.wrong_type),
        "empty" => t_string!(i18n, documents.empty),
        "too_many" => t_string!(i18n, documents.full),
        _ => t_string!(i18n, documents.failed),
    }
    .to_string()
}

fn message_problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: MessageProblem) -> String {
    match problem {
        MessageProblem::Empty => t_string!(i18n, tracking.message_empty),
        MessageProblem::TooLong => t_string!(i18n, tracking.message_too_long),
    }
    .to_string()
}

#[component]
pub fn TrackingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let send = ServerAction::<SendRequestMessage>::new();
    let household = ServerAction::<RequestHousehold>::new();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    let state = Resource::new(
        move || (id(), language_of(i18n.get_locale()), send.version().get() + household.version().get()),
        |(id, language, _)| async move {
            match id {
                Some(id) => load_request_tracking(id, language).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let just_submitted = move || query.read().get("submitted").is_some();

    view! {
        <Title text=t_string!(i18n, tracking.title).to_string()/>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(tracking) => view! { <TrackingView tracking just_submitted=just_submitted() send household/> }.into_any(),
                    Err(AppError::SignInRequired) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => {
                        if error == AppError::NotFound {
                            set_response_status(404);
                        }
                        view! { <h1>{t!(i18n, tracking.title)}</h1><ErrorMessage error/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn TrackingView(
    tracking: RequestTracking,
    just_submitted: bool,
    send: ServerAction<SendRequestMessage>,
    household: ServerAction<RequestHousehold>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = tracking.id;
    let request = awn_domain::ids::RequestId::new(id);
    view! {
        <h1>
            {t!(i18n, tracking.title)} " " <bdi dir="ltr" class="reference">{tracking.reference}</bdi>
        </h1>
        <Show when=move || just_submitted>
            <div class="notice notice--success" role="status">
                <p>{t!(i18n, tracking.submitted_notice)}</p>
            </div>
        </Show>
        <StatusCard id status=tracking.status kind_name=tracking.kind_name submitted_at=tracking.submitted_at
            decision_due_at=tracking.decision_due_at deadline=tracking.deadline/>
        {tracking.evaluation.map(|evaluated| view! { <EvaluationCard id evaluated/> })}
        <TimelineCard timeline=tracking.timeline/>
        <HouseholdCard request members=tracking.household editable=tracking.household_editable action=household
            flash=tracking.flash.clone()/>
        <DocumentsCard id open=tracking.status.is_open() asked=tracking.asked_documents documents=tracking.documents
            flash=tracking.flash.clone()/>
        <MessagesCard id messages=tracking.messages flash=tracking.flash send/>
        <p><a href="/requests">{t!(i18n, tracking.back_to_list)}</a></p>
    }
}

/// Where the request stands, and the right to object to it (A2).
#[component]
fn StatusCard(
    id: i64,
    status: RequestStatus,
    kind_name: String,
    submitted_at: i64,
    decision_due_at: i64,
    deadline: Option<crate::deadlines::DeadlineView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let missing = deadline.clone().filter(|d| d.rule == awn_domain::deadlines::ClockRule::MissingInformation);
    let decision_paused = deadline.as_ref().is_some_and(|d| d.paused) || missing.is_some();
    let extended_reason = deadline.and_then(|d| d.extended_reason);
    view! {
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">{t!(i18n, tracking.current_status)}</h2>
            <p class=format!("status-badge status-badge--{}", status.code())>
                {move || status_text(i18n.get_locale(), status)}
            </p>
            <dl class="summary">
                <div class="summary__row">
                    <dt>{t!(i18n, tracking.kind)}</dt>
                    <dd>{kind_name}</dd>
                </div>
                <div class="summary__row">
                    <dt>{t!(i18n, tracking.submitted_at)}</dt>
                    <dd><DualDateText unix_seconds=submitted_at/></dd>
                </div>
                {missing.and_then(|d| d.due_at).map(|due| view! {
                    <div class="summary__row deadline deadline--missing">
                        <dt>{t!(i18n, tracking.missing_due)}</dt>
                        <dd>
                            <DualDateText unix_seconds=due/>
                            <p class="field__hint">{t!(i18n, tracking.missing_lapse_note)}</p>
                        </dd>
                    </div>
                })}
                <div class="summary__row decision-due">
                    <dt>{t!(i18n, tracking.decision_due)}</dt>
                    <dd>
                        {if decision_paused {
                            t!(i18n, tracking.decision_paused).into_any()
                        } else {
                            view! { <DualDateText unix_seconds=decision_due_at/> }.into_any()
                        }}
                    </dd>
                </div>
                {extended_reason.map(|reason| view! {
                    <div class="summary__row deadline deadline--extended">
                        <dt>{t!(i18n, tracking.decision_extended)}</dt>
                        <dd>{reason}</dd>
                    </div>
                })}
            </dl>
            // The right to object (A2): most of all to a rejection, but to anything about the request.
            <p>
                <a class=if status == RequestStatus::Rejected { "button button--primary" } else { "" }
                    href=format!("/complaints?request={id}")>
                    {if status == RequestStatus::Rejected { t!(i18n, tracking.object).into_any() } else { t!(i18n, tracking.complain).into_any() }}
                </a>
            </p>
        </section>
    }
}

/// A served or closed request's evaluation (C1): offered, or done.
#[component]
fn EvaluationCard(id: i64, evaluated: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card evaluation" id="evaluation">
            <h2>{t!(i18n, surveys.evaluate_title)}</h2>
            {if evaluated {
                view! { <p>{t!(i18n, surveys.evaluated)}</p> }.into_any()
            } else {
                view! {
                    <p>{t!(i18n, surveys.your_right)}</p>
                    <form method="post" action=format!("/requests/{id}/evaluate")>
                        <button class="button button--primary" type="submit">{t!(i18n, surveys.evaluate)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn TimelineCard(timeline: Vec<TimelineView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t!(i18n, tracking.timeline)}</h2>
            <ol class="timeline">
                {timeline
                    .into_iter()
                    .map(|entry| {
                        let entry_status = entry.status;
                        let has_reason = !entry.reason.is_empty();
                        view! {
                            <li class=format!("timeline__entry timeline__entry--{}", entry_status.code())>
                                <p class="timeline__status">{move || status_text(i18n.get_locale(), entry_status)}</p>
                                <p class="timeline__date"><DualDateText unix_seconds=entry.at/></p>
                                <Show when=move || has_reason>
                                    <p class="timeline__reason">{entry.reason.clone()}</p>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// The documents asked for (each with its upload), those uploaded, and an
/// upload of one more while the request is open.
#[component]
fn DocumentsCard(
    id: i64,
    open: bool,
    asked: Vec<AskedDocumentView>,
    documents: Vec<DocumentView>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let i18n = use_i18n();
    let upload_problem = flash.filter(|f| f.value("kind") == Some("upload")).map(|f| f.problem);
    let pending_asked: Vec<AskedDocumentView> = asked.into_iter().filter(|d| !d.fulfilled).collect();
    view! {
        <section class="card" aria-labelledby="documents-title">
            <h2 id="documents-title">{t!(i18n, tracking.documents)}</h2>
            {upload_problem.map(|code| {
                view! { <p class="notice notice--error" role="alert">{move || upload_problem_text(i18n, &code)}</p> }
            })}
            {(!pending_asked.is_empty()).then(|| view! {
                <h3>{t!(i18n, tracking.asked_documents)}</h3>
                <ul class="asked-documents">
                    {pending_asked.into_iter().map(|asked| view! {
                        <li class="asked-documents__item">
                            <p>{asked.description.clone()}</p>
                            <UploadForm request=id asked=Some(asked.id)/>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <ul class="document-list">
                {documents
                    .into_iter()
                    .map(|document| view! {
                        <li class="document-list__item">
                            <a href=format!("/documents/{}", document.id) download><bdi>{document.file_name}</bdi></a>
                        </li>
                    })
                    .collect_view()}
            </ul>
            {open.then(|| view! {
                <details class="add-document">
                    <summary>{t!(i18n, tracking.add_document)}</summary>
                    <UploadForm request=id asked=None/>
                </details>
            })}
        </section>
    }
}

/// The conversation with staff, and the form to write to them.
#[component]
fn MessagesCard(
    id: i64,
    messages: Vec<MessageView>,
    flash: Option<FormFlash>,
    send: ServerAction<SendRequestMessage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let flash_problem =
        flash.as_ref().filter(|f| f.value("kind") == Some("message")).and_then(|f| match f.problem.as_str() {
            "message_empty" => Some(MessageProblem::Empty),
            "message_too_long" => Some(MessageProblem::TooLong),
            _ => None,
        });
    let typed_message = flash.as_ref().and_then(|f| f.value("body").map(str::to_owned)).unwrap_or_default();
    let message_error = move || {
        let latest = send.value().get().and_then(Result::ok).flatten();
        latest.or(flash_problem).map(|p| message_problem_text(i18n, p))
    };
    view! {
        <section class="card" aria-labelledby="messages-title">
            <h2 id="messages-title">{t!(i18n, tracking.messages)}</h2>
            <ol class="messages">
                {messages
                    .into_iter()
                    .map(|message| {
                        let class = if message.from_staff { "messages__item messages__item--staff" } else { "messages__item" };
                        view! {
                            <li class=class>
                                <p class="messages__author">
                                    {if message.from_staff {
                                        t!(i18n, tracking.from_staff).into_any()
                                    } else {
                                        t!(i18n, tracking.from_you).into_any()
                                    }}
                                </p>
                                <p class="messages__body">{message.body}</p>
                                <p class="messages__date"><DualDateText unix_seconds=message.at/></p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <ActionForm action=send attr:class="form" attr:novalidate=true>
                <input type="hidden" name="request" value=id/>
                <div class="field" class:field--invalid=move || message_error().is_some()>
                    <label class="field__label" for="field-body">{t!(i18n, tracking.new_message)}</label>
                    <TextArea id="field-body" name="body" value=typed_message maxlength=2000
                        described_by=Some("field-body-error".to_owned())/>
                    <FieldError id="field-body-error" error=Signal::derive(message_error)/>
                </div>
                <button class="button" type="submit">{t!(i18n, tracking.send)}</button>
            </ActionForm>
        </section>
    }
}

/// Upload to a submitted request (a plain multipart form: same with or without
/// JavaScript).
#[component]
fn UploadForm(request: i64, asked: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("upload-{request}-{}", asked.unwrap_or_default());
    view! {
        <form class="form upload-form" method="post" action=format!("/uploads/requests/{request}") enctype="multipart/form-data">
            {asked.map(|asked| view! { <input type="hidden" name="asked" value=asked/> })}
            <div class="field">
                <label class="field__label" for=input_id.clone()>{t!(i18n, documents.choose)}</label>
                <input class="field__input" id=input_id type="file" name="file"
                    accept="image/jpeg,image/png,image/webp,application/pdf" required/>
            </div>
            <button class="button" type="submit">{t!(i18n, documents.upload)}</button>
        </form>
    }
}
