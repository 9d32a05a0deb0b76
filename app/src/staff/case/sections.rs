//! The read-only parts of the case page: its heading and notices, the request's
//! facts, the applicant with their documents, the recorded steps, the timeline
//! and the conversation.

use awn_domain::{casework::StepRefusal, staff::Permission};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{CaseMessage, CaseView, RecordLine, forms::MessageForm};
use crate::{
    components::dates::DualDateText, i18n::*, requests::labels::status_text, staff::StaffSession,
    staff::labels::channel_text,
};

/// The page's title and heading, the refusal of a step taken out of turn, and
/// the warning of a possible duplicate.
#[component]
pub(super) fn CaseHeading(case: CaseView, #[prop(into)] not_now: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let status = case.status;
    view! {
        <Title text=case.reference.clone()/>
        <h1>
            <span class="reference" dir="ltr">{case.reference.clone()}</span>
            " "
            <span class=format!("status-badge status-badge--{}", status.code())>
                {status_text(i18n.get_locale(), status)}
            </span>
        </h1>
        <Show when=move || not_now.get()>
            <p class="notice notice--error" role="alert">{t!(i18n, staff.not_now)}</p>
        </Show>
        {case.possible_duplicate_of.map(|(other, reference)| view! {
            <p class="notice duplicate-notice">
                <strong class="duplicate-flag">{t!(i18n, duplicates.badge)}</strong> " "
                {t!(i18n, duplicates.notice)} " " {t!(i18n, duplicates.other_request)} " "
                <a href=format!("/staff/requests/{other}")><bdi dir="ltr">{reference}</bdi></a>
            </p>
        })}
    }
}

/// What was asked for, how, when it is due and who works it.
#[component]
pub(super) fn CaseFacts(case: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, staff.kind)}</dt><dd>{case.kind_name}</dd>
                <dt>{t!(i18n, staff.channel)}</dt><dd>{channel_text(i18n.get_locale(), case.channel)}</dd>
                <dt>{t!(i18n, staff.submitted)}</dt><dd><DualDateText unix_seconds=case.submitted_at/></dd>
                <dt>{t!(i18n, staff.due)}</dt>
                <dd class:overdue-flag=case.overdue>
                    <DualDateText unix_seconds=case.decision_due_at/>
                    {case.overdue.then(|| view! { " · " {t!(i18n, staff.overdue)} })}
                    {case.decision_deadline.as_ref().is_some_and(|d| d.paused).then(|| view! {
                        " · " {t!(i18n, staff.deadline_paused)}
                    })}
                </dd>
                {case.decision_deadline.and_then(|d| d.extended_reason).map(|reason| view! {
                    <dt>{t!(i18n, staff.extended_because)}</dt><dd>{reason}</dd>
                })}
                <dt>{t!(i18n, staff.assignee)}</dt>
                <dd>{case.assignee_name.unwrap_or_else(|| t_string!(i18n, staff.unassigned).to_string())}</dd>
                {case.file_number.map(|number| view! {
                    <dt>{t!(i18n, staff.file_number)}</dt><dd><bdi dir="ltr">{number}</bdi></dd>
                })}
                {case.support_granted.map(|support| view! {
                    <dt>{t!(i18n, staff.support_granted)}</dt><dd>{support}</dd>
                })}
            </dl>
        </section>
    }
}

/// The applicant's data, declaration and consents, and the documents they sent.
#[component]
pub(super) fn ApplicantSection(case: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, staff.applicant)}</h2>
            <p><a href=format!("/staff/beneficiaries/{}", case.beneficiary_id)>{t!(i18n, staff.beneficiary_file)}</a></p>
            <dl class="facts">
                <dt>{t!(i18n, wizard.full_name)}</dt><dd>{case.full_name}</dd>
                <dt>{t!(i18n, wizard.national_id)}</dt><dd><bdi dir="ltr">{case.national_id}</bdi></dd>
                <dt>{t!(i18n, wizard.birth_date)}</dt><dd><bdi dir="ltr">{case.birth_date}</bdi></dd>
                <dt>{t!(i18n, wizard.mobile)}</dt><dd><bdi dir="ltr">{case.mobile}</bdi></dd>
                {case.email.map(|email| view! { <dt>{t!(i18n, wizard.email)}</dt><dd><bdi dir="ltr">{email}</bdi></dd> })}
                <dt>{t!(i18n, wizard.city)}</dt><dd>{case.city} " · " {case.district}</dd>
                <dt>{t!(i18n, wizard.household_members)}</dt><dd>{case.household_members}</dd>
                <dt>{t!(i18n, wizard.monthly_income)}</dt><dd>{case.monthly_income}</dd>
                <dt>{t!(i18n, wizard.housing)}</dt><dd>{case.housing}</dd>
                <dt>{t!(i18n, wizard.description)}</dt><dd>{case.description}</dd>
                <dt>{t!(i18n, staff.declaration)}</dt>
                <dd>{case.signature} " · " {case.declaration_version} " · "
                    <DualDateText unix_seconds=case.declared_at/></dd>
                <dt>{t!(i18n, staff.consents)}</dt>
                <dd>
                    {if case.consent_sms { t_string!(i18n, staff.consent_sms_yes) } else { t_string!(i18n, staff.consent_sms_no) }}
                    " · "
                    {if case.consent_email { t_string!(i18n, staff.consent_email_yes) } else { t_string!(i18n, staff.consent_email_no) }}
                </dd>
            </dl>
            {(!case.documents.is_empty()).then(|| view! {
                <h3>{t!(i18n, staff.documents)}</h3>
                // Each opened through the audited download.
                <ul>{case.documents.into_iter().map(|(id, name)| view! {
                    <li><a href=format!("/staff/documents/{id}") download="" rel="external">{name}</a></li>
                }).collect_view()}</ul>
            })}
        </section>
    }
}

/// Every step recorded so far, one card per kind (none while it is empty).
#[component]
pub(super) fn CaseRecords(case: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Records title=t_string!(i18n, staff.verifications).to_string() lines=case.verifications/>
        <Records title=t_string!(i18n, staff.referrals).to_string() lines=case.referrals/>
        <Records title=t_string!(i18n, staff.studies).to_string() lines=case.studies/>
        <Records title=t_string!(i18n, staff.decisions).to_string() lines=case.decisions/>
        <Records title=t_string!(i18n, staff.services).to_string() lines=case.services/>
    }
}

#[component]
fn Records(#[prop(into)] title: String, lines: Vec<RecordLine>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{title}</h2>
                <ul class="records">
                    {lines.into_iter().map(|line| view! {
                        <li class="records__item">
                            <strong>{line.title}</strong>
                            <span class="records__meta">{line.staff_name} " · " <DualDateText unix_seconds=line.at/></span>
                            <p class="records__body">{line.body}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
pub(super) fn Timeline(case: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    view! {
        <section class="card">
            <h2>{t!(i18n, tracking.timeline)}</h2>
            <ol class="timeline">
                {case.timeline.into_iter().map(|(status, reason, at)| view! {
                    <li class="timeline__entry">
                        <strong>{status_text(locale, status)}</strong>
                        " · " <DualDateText unix_seconds=at/>
                        {(!reason.is_empty()).then(|| view! { <p>{reason}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The messages between the applicant and staff, and the form to write one.
#[component]
pub(super) fn Conversation(
    session: StaffSession,
    case: CaseView,
    action: ServerAction<CaseMessage>,
    problem: Signal<Option<StepRefusal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let request = case.id;
    view! {
        <section class="card">
            <h2>{t!(i18n, tracking.messages)}</h2>
            <ul class="messages">
                {case.messages.into_iter().map(|(from_staff, body, at)| view! {
                    <li class="messages__item" class:messages__item--staff=from_staff>
                        <p class="messages__author">
                            {if from_staff { t!(i18n, staff.message_from_staff).into_any() } else { t!(i18n, staff.message_from_applicant).into_any() }}
                        </p>
                        <p class="messages__body">{body}</p>
                        <p class="messages__date"><DualDateText unix_seconds=at/></p>
                    </li>
                }).collect_view()}
            </ul>
            {session.may(Permission::MessageBeneficiary).then(|| view! { <MessageForm action request problem/> })}
        </section>
    }
}
