//! The inquiry inbox (`/staff/inquiries`, A6, A18): questions from every channel
//! in one list, open ones first. Staff record a question that came by phone,
//! letter or social media, answer it once (the answer reaches the asker through
//! the outbox) and publish a good answer, reworded, to the public FAQ.

#[cfg(feature = "ssr")]
use crate::application::{access::can, inquiries};

use awn_domain::{channels::Channel, locale::Language, paging::PagePosition, staff::Permission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{
    StaffSession,
    labels::{channel_options, channel_text},
    sign_in::StaffGate,
};
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
pub struct InboxRow {
    pub id: i64,
    pub asker_name: String,
    pub contact: String,
    pub beneficiary_id: Option<i64>,
    pub channel: Channel,
    pub question: String,
    pub language: Language,
    pub open: bool,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    /// Where this page sits in the filtered inbox.
    pub pages: PagePosition,
    pub problem: Option<FormProblem>,
}

/// Inquiries on a page; the pager reaches the rest.
#[cfg(feature = "ssr")]
const INBOX_PER_PAGE: u32 = 50;
const RECORD_FORM: &str = "record-inquiry";

fn answer_form(id: i64) -> String {
    format!("answer-{id}")
}

fn publish_form(id: i64) -> String {
    format!("publish-{id}")
}

#[server(endpoint = "staff/inquiries")]
pub async fn load_inbox(
    status: Option<String>,
    channel: Option<String>,
    page: Option<String>,
) -> Result<InboxPage, AppError> {
    let context = crate::state::app_context()?;
    let staff = super::authorize::<can::AnswerInquiry>().await?;
    let status = status.filter(|s| !s.is_empty());
    let channel = channel.as_deref().and_then(Channel::from_code);
    let request = awn_domain::paging::PageRequest::from_query(page.as_deref(), INBOX_PER_PAGE);
    let (rows, pages) = inquiries::inbox(&context.database, &staff, status.as_deref(), channel, request).await?;
    Ok(InboxPage { rows, pages, problem: crate::forms::take_flash() })
}

/// A question that came by phone, letter, social media…, recorded by staff.
#[server(endpoint = "staff/inquiries/record")]
pub async fn record_inquiry(
    channel: Option<String>,
    asker_name: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    question: Option<String>,
    language: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::AnswerInquiry>().await?;
    let context = crate::state::app_context()?;
    let typed = inquiries::TypedInquiry {
        channel: channel.as_deref(),
        asker_name: &asker_name,
        mobile: &mobile,
        email: &email,
        question: &question,
        language: language.as_deref(),
    };
    let refused = inquiries::record(&context.database, &staff, typed).await?.err().map(|refused| {
        refused.on(RECORD_FORM).with_values(&[
            ("channel", &channel),
            ("asker_name", &asker_name),
            ("mobile", &mobile),
            ("email", &email),
            ("question", &question),
        ])
    });
    crate::forms::finish("/staff/inquiries", refused)
}

#[server(endpoint = "staff/inquiries/answer")]
pub async fn answer_inquiry(inquiry: i64, answer: Option<String>) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::AnswerInquiry>().await?;
    let context = crate::state::app_context()?;
    let answered = inquiries::answer(&context, &staff, inquiry, answer.as_deref().unwrap_or_default()).await?;
    let refused = answered.err().map(|refused| refused.on(&answer_form(inquiry)).with_values(&[("answer", &answer)]));
    crate::forms::finish("/staff/inquiries", refused)
}

/// Publishes an answered inquiry to the FAQ in words fit for everyone.
#[server(endpoint = "staff/inquiries/publish")]
pub async fn publish_inquiry(
    inquiry: i64,
    question: Option<String>,
    answer: Option<String>,
) -> Result<Option<FormProblem>, AppError> {
    let staff = super::authorize::<can::PublishFaq>().await?;
    let context = crate::state::app_context()?;
    let published =
        inquiries::publish_to_faq(&context.database, &staff, inquiry, question.as_deref(), answer.as_deref()).await?;
    let refused = published
        .err()
        .map(|refused| refused.on(&publish_form(inquiry)).with_values(&[("question", &question), ("answer", &answer)]));
    crate::forms::finish("/staff/inquiries", refused)
}

#[component]
pub fn StaffInquiriesPage() -> impl IntoView {
    let query = use_query_map();
    let record = ServerAction::<RecordInquiry>::new();
    let answer = ServerAction::<AnswerInquiry>::new();
    let publish = ServerAction::<PublishInquiry>::new();
    let (recorded, answered, published) =
        (crate::forms::successes(record), crate::forms::successes(answer), crate::forms::successes(publish));
    let page = Resource::new(
        move || {
            (
                query.with(|q| q.get("status")),
                query.with(|q| q.get("channel")),
                query.with(|q| q.get("page")),
                recorded.get() + answered.get() + published.get(),
            )
        },
        |(status, channel, page, _)| load_inbox(status, channel, page),
    );
    view! {
        <StaffGate children=move |session| view! { <InboxView session page record answer publish/> }/>
    }
}

#[component]
fn InboxView(
    session: StaffSession,
    page: Resource<Result<InboxPage, AppError>>,
    record: ServerAction<RecordInquiry>,
    answer: ServerAction<AnswerInquiry>,
    publish: ServerAction<PublishInquiry>,
) -> impl IntoView {
    let i18n = use_i18n();
    let may_publish = session.may(Permission::PublishFaq);
    view! {
        <Title text=t_string!(i18n, inquiries.title).to_string()/>
        <h1>{t!(i18n, inquiries.title)}</h1>
        <InboxFilters/>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) => {
                        let record_problem = latest_problem(record, page.problem.clone());
                        let answer_problem = latest_problem(answer, page.problem.clone());
                        let publish_problem = latest_problem(publish, page.problem.clone());
                        let typed_answer = answer_problem.get_untracked();
                        let typed_publish = publish_problem.get_untracked();
                        let pages = page.pages;
                        view! {
                            {if page.rows.is_empty() {
                                view! { <p class="notice">{t!(i18n, inquiries.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="inbox">
                                        {page.rows.into_iter().map(|row| view! {
                                            <InquiryItem row may_publish answer publish answer_problem publish_problem
                                                typed_answer=typed_answer.clone() typed_publish=typed_publish.clone()/>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <Pager position=pages/>
                            <RecordInquiryForm record record_problem/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The inbox's filters: status and channel.
#[component]
fn InboxFilters() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let selected = move |name: &'static str, value: &str| query.with(|q| q.get(name)).as_deref() == Some(value);
    view! {
        <form method="get" action="/staff/inquiries" class="form filters" role="search">
            <div class="field">
                <label class="field__label" for="filter-status">{t!(i18n, staff.filter_status)}</label>
                <select class="field__input" id="filter-status" name="status">
                    <option value="">{t!(i18n, staff.filter_any)}</option>
                    <option value="open" selected=move || selected("status", "open")>{t!(i18n, inquiries.open)}</option>
                    <option value="answered" selected=move || selected("status", "answered")>{t!(i18n, inquiries.answered)}</option>
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="filter-channel">{t!(i18n, staff.filter_channel)}</label>
                <select class="field__input" id="filter-channel" name="channel">
                    <option value="">{t!(i18n, staff.filter_any)}</option>
                    {Channel::ALL.into_iter().map(|channel| view! {
                        <option value=channel.code() selected=move || selected("channel", channel.code())>
                            {channel_text(i18n.get_locale(), channel)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <button class="button" type="submit">{t!(i18n, staff.filter_apply)}</button>
        </form>
    }
}

/// One inquiry: the question, and its answer form or its answer (with, for
/// staff who may, the form that publishes it to the FAQ).
#[component]
fn InquiryItem(
    row: InboxRow,
    may_publish: bool,
    answer: ServerAction<AnswerInquiry>,
    publish: ServerAction<PublishInquiry>,
    answer_problem: Signal<Option<FormProblem>>,
    publish_problem: Signal<Option<FormProblem>>,
    typed_answer: Option<FormProblem>,
    typed_publish: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id;
    let answer_form = answer_form(id);
    view! {
        <li class="card inbox__item" class:inbox__item--open=row.open id=format!("inquiry-{id}")>
            <p class="records__meta">
                <strong>{if row.asker_name.is_empty() { t_string!(i18n, inquiries.anonymous).to_string() } else { row.asker_name.clone() }}</strong>
                " · " {channel_text(i18n.get_locale(), row.channel)}
                " · " <bdi dir="ltr">{row.contact.clone()}</bdi>
                " · " <DualDateText unix_seconds=row.created_at/>
                {row.beneficiary_id.map(|b| view! {
                    " · " <a href=format!("/staff/beneficiaries/{b}")>{t!(i18n, inquiries.open_file)}</a>
                })}
            </p>
            <p class="inbox__question">{row.question.clone()}</p>
            {match row.answer.clone() {
                Some(text) => view! {
                    <p class="inbox__answer">
                        <strong>{t!(i18n, inquiries.answer)}</strong> " " {text.clone()}
                    </p>
                    <p class="records__meta">
                        {row.answered_by.clone().unwrap_or_default()} " · "
                        {row.answered_at.map(|at| view! { <DualDateText unix_seconds=at/> })}
                    </p>
                    {may_publish.then(|| view! {
                        <PublishForm id question=row.question.clone() answer=text publish publish_problem typed_publish/>
                    })}
                }.into_any(),
                None => view! {
                    <ActionForm action=answer attr:class="form" attr:id=format!("form-answer-{id}") attr:novalidate=true>
                        <input type="hidden" name="inquiry" value=id/>
                        <TextAreaField name="answer" id_suffix=id.to_string()
                            label=move || t_string!(i18n, inquiries.answer_label)
                            value=typed(&typed_answer, &answer_form, "answer") required=true
                            error=field_message(answer_problem, answer_form.clone(), "answer")/>
                        <FormNotice problem=answer_problem form=answer_form.clone()/>
                        <button class="button button--primary" type="submit">{t!(i18n, inquiries.send_answer)}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}

/// Publishing an answered inquiry to the FAQ, reworded: starts from the
/// question and the answer as they are.
#[component]
fn PublishForm(
    id: i64,
    question: String,
    answer: String,
    publish: ServerAction<PublishInquiry>,
    publish_problem: Signal<Option<FormProblem>>,
    typed_publish: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let publish_form = publish_form(id);
    view! {
        <details class="inbox__publish">
            <summary>{t!(i18n, inquiries.publish)}</summary>
            <ActionForm action=publish attr:class="form" attr:id=format!("form-publish-{id}") attr:novalidate=true>
                <input type="hidden" name="inquiry" value=id/>
                <p class="field__hint">{t!(i18n, inquiries.publish_hint)}</p>
                <TextAreaField name="question" id_suffix=id.to_string()
                    label=move || t_string!(i18n, inquiries.faq_question)
                    value={let t = typed(&typed_publish, &publish_form, "question"); if t.is_empty() { question } else { t }}
                    error=field_message(publish_problem, publish_form.clone(), "question")/>
                <TextAreaField name="answer" id_suffix=id.to_string()
                    label=move || t_string!(i18n, inquiries.faq_answer)
                    value={let t = typed(&typed_publish, &publish_form, "answer"); if t.is_empty() { answer } else { t }}
                    error=field_message(publish_problem, publish_form.clone(), "answer")/>
                <FormNotice problem=publish_problem form=publish_form.clone()/>
                <button class="button" type="submit">{t!(i18n, inquiries.publish_button)}</button>
            </ActionForm>
        </details>
    }
}

/// Recording a question that came by another channel.
#[component]
fn RecordInquiryForm(
    record: ServerAction<RecordInquiry>,
    record_problem: Signal<Option<FormProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed_record = record_problem.get_untracked();
    let record_form = RECORD_FORM.to_owned();
    let chosen_channel = typed(&typed_record, RECORD_FORM, "channel");
    view! {
        <section class="card" aria-labelledby="record-inquiry-title">
            <h2 id="record-inquiry-title">{t!(i18n, inquiries.record_title)}</h2>
            <ActionForm action=record attr:class="form" attr:id="form-record-inquiry" attr:novalidate=true>
                <SelectField name="channel" id="field-inquiry-channel" label=move || t_string!(i18n, staff.channel)
                    placeholder=move || t_string!(i18n, staff.intake_choose_channel)
                    options=channel_options(i18n.get_locale()) selected=chosen_channel.clone()
                    error=field_message(record_problem, record_form.clone(), "channel")/>
                <TextField name="asker_name" label=move || t_string!(i18n, faq.name)
                    value=typed(&typed_record, RECORD_FORM, "asker_name")
                    error=field_message(record_problem, record_form.clone(), "asker_name")/>
                <TextField name="mobile" label=move || t_string!(i18n, faq.mobile) input_type="tel"
                    inputmode="tel" dir="ltr" value=typed(&typed_record, RECORD_FORM, "mobile")
                    error=field_message(record_problem, record_form.clone(), "mobile")/>
                <TextField name="email" label=move || t_string!(i18n, faq.email) input_type="email"
                    dir="ltr" value=typed(&typed_record, RECORD_FORM, "email")
                    error=field_message(record_problem, record_form.clone(), "email")/>
                <div class="field">
                    <label class="field__label" for="field-inquiry-language">{t!(i18n, inquiries.language)}</label>
                    <select class="field__input" id="field-inquiry-language" name="language">
                        <option value="ar">"العربية"</option>
                        <option value="en">"English"</option>
                    </select>
                </div>
                <TextAreaField name="question" id_suffix="record" label=move || t_string!(i18n, faq.question)
                    value=typed(&typed_record, RECORD_FORM, "question") required=true
                    error=field_message(record_problem, record_form.clone(), "question")/>
                <FormNotice problem=record_problem form=record_form.clone()/>
                <button class="button button--primary" type="submit">{t!(i18n, inquiries.record_button)}</button>
            </ActionForm>
        </section>
    }
}
