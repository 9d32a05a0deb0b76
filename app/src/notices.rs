//! The texts of messages sent through the outbox, in the recipient's language.
//! Server side only: they are composed where the event is recorded.

pub mod deadlines;

use awn_domain::{calendar::DualDate, identity::SaudiMobile, locale::Language, requests::RequestStatus};
use awn_storage::{
    outbox::{Channel, NewOutboxMessage},
    requests::NoticeRecipient,
};

use crate::{i18n::*, preferences::locale_of, requests::labels::status_text};

fn sms(to: &str, body: String, purpose: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Sms,
        recipient: to.to_owned(),
        subject: String::new(),
        body,
        purpose: purpose.to_owned(),
    }
}

fn email(to: &str, subject: String, body: String, purpose: &str) -> NewOutboxMessage {
    NewOutboxMessage { channel: Channel::Email, recipient: to.to_owned(), subject, body, purpose: purpose.to_owned() }
}

/// "2026-12-08 (1448-06-17 هـ)": short enough for an SMS, both calendars.
fn short_dual_date(unix_seconds: i64, locale: Locale) -> String {
    let date = DualDate::from_unix_seconds(unix_seconds);
    let g = date.gregorian;
    let gregorian = format!("{:04}-{:02}-{:02}", g.year, g.month, g.day);
    match date.hijri {
        Some(h) => {
            let era = td_string!(locale, dates.hijri_era).to_string();
            format!("{gregorian} ({:04}-{:02}-{:02} {era})", h.year, h.month, h.day)
        }
        None => gregorian,
    }
}

/// The one-time sign-in code. Always sent: the person asked for it.
pub fn sign_in_code(mobile: &SaudiMobile, code: &str, language: Language) -> Vec<NewOutboxMessage> {
    let locale = locale_of(language);
    let body = td_string!(locale, notices.sign_in_code, code = code).to_string();
    vec![sms(mobile.as_e164(), body, "sign_in_code")]
}

/// The receipt of a submitted request. The SMS answers the person's own action and
/// is always sent; email only with the email consent.
pub fn request_submitted(
    mobile: &SaudiMobile,
    email_address: Option<&str>,
    consent_email: bool,
    reference: &str,
    decision_due_at: i64,
    language: Language,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(language);
    let date = short_dual_date(decision_due_at, locale);
    let body = td_string!(locale, notices.request_submitted, reference = reference, date = date.as_str()).to_string();
    let mut messages = vec![sms(mobile.as_e164(), body.clone(), "request_submitted")];
    if let (true, Some(address)) = (consent_email, email_address) {
        let subject = td_string!(locale, notices.request_submitted_subject, reference = reference).to_string();
        messages.push(email(address, subject, body, "request_submitted"));
    }
    messages
}

/// The notice of a change of state (A3): by SMS and email as the beneficiary chose.
/// The timeline in Awn shows every change whatever the choice.
pub fn status_changed(recipient: &NoticeRecipient, status: RequestStatus, reason: &str) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let status_label = status_text(locale, status);
    let mut body = td_string!(
        locale,
        notices.status_changed,
        reference = recipient.reference.as_str(),
        status = status_label.as_str()
    )
    .to_string();
    if !reason.trim().is_empty() {
        body.push('\n');
        body.push_str(reason.trim());
    }
    as_consented(recipient, body, "status_changed")
}

/// A notice about a request by SMS and email, each only where the beneficiary
/// consented (B9); the subject names the request.
fn as_consented(recipient: &NoticeRecipient, body: String, purpose: &str) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let mut messages = Vec::new();
    if recipient.consent_sms {
        messages.push(sms(&recipient.mobile, body.clone(), purpose));
    }
    if let (true, Some(address)) = (recipient.consent_email, recipient.email.as_deref()) {
        let subject =
            td_string!(locale, notices.status_changed_subject, reference = recipient.reference.as_str()).to_string();
        messages.push(email(address, subject, body, purpose));
    }
    messages
}

/// A new message from staff about a request: the text itself stays in Awn (it may
/// be personal); the SMS or email only says there is one, as the beneficiary chose.
pub fn staff_message(recipient: &NoticeRecipient) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let body = td_string!(locale, notices.new_message, reference = recipient.reference.as_str()).to_string();
    as_consented(recipient, body, "staff_message")
}

/// The answer to an inquiry, by the contact means given with it: the person asked,
/// so the answer is sent (by SMS, and by email when an address was given).
pub fn inquiry_answered(contact: &awn_storage::inquiries::InquiryContact) -> Vec<NewOutboxMessage> {
    let locale = locale_of(contact.language);
    let body = td_string!(locale, notices.inquiry_answered, answer = contact.answer.as_str()).to_string();
    let mut messages = Vec::new();
    if let Some(mobile) = contact.mobile.as_deref() {
        messages.push(sms(mobile, body.clone(), "inquiry_answered"));
    }
    if let Some(address) = contact.email.as_deref() {
        let subject = td_string!(locale, notices.inquiry_answered_subject).to_string();
        let full = format!("{}\n\n{}", contact.question, body);
        messages.push(email(address, subject, full, "inquiry_answered"));
    }
    messages
}

/// The resolution of a complaint (A2): the answer to the person's own complaint,
/// so it is sent; the text is in Awn, the SMS says there is one.
pub fn complaint_resolved(contact: &awn_storage::complaints::ComplaintContact) -> Vec<NewOutboxMessage> {
    let locale = locale_of(contact.language);
    let body = td_string!(locale, notices.complaint_resolved).to_string();
    vec![sms(&contact.mobile, body, "complaint_resolved")]
}

/// The association's news to someone who consented to it (B9), by SMS and/or
/// email as their consents in force say, in their language.
pub fn news(
    recipient: &awn_storage::consent::NewsRecipient,
    body_ar: &str,
    body_en: &str,
) -> Vec<(awn_domain::consent::ConsentKind, NewOutboxMessage)> {
    use awn_domain::consent::ConsentKind;
    let locale = locale_of(recipient.language);
    let body = match recipient.language {
        Language::Arabic => body_ar,
        Language::English => body_en,
    };
    let footer = td_string!(locale, notices.news_footer).to_string();
    let text = format!("{}\n{footer}", body.trim());
    let mut messages = Vec::new();
    if let Some(mobile) = recipient.mobile.as_deref() {
        messages.push((ConsentKind::NewsBySms, sms(mobile, text.clone(), "news")));
    }
    if let Some(address) = recipient.email.as_deref() {
        let subject = td_string!(locale, notices.news_subject).to_string();
        messages.push((ConsentKind::NewsByEmail, email(address, subject, text, "news")));
    }
    messages
}

/// "2026-12-25": the last day a survey link works, short enough for an SMS.
fn link_valid_until(invitation: &awn_storage::surveys::NewInvitation) -> String {
    let day = DualDate::from_unix_seconds(invitation.expires_at).gregorian;
    format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
}

fn survey_link(base_url: &str, invitation: &awn_storage::surveys::NewInvitation) -> String {
    format!("{base_url}/survey/{}", invitation.token)
}

/// The invitation to evaluate a service delivered (C1). A service message, sent
/// by SMS whatever the news consents say: evaluating is the beneficiary's right.
pub fn survey_after_service(
    base_url: &str,
    recipient: &NoticeRecipient,
    invitation: &awn_storage::surveys::NewInvitation,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let link = survey_link(base_url, invitation);
    let until = link_valid_until(invitation);
    let body = td_string!(
        locale,
        notices.survey_after_service,
        reference = recipient.reference.as_str(),
        link = link.as_str(),
        until = until.as_str()
    )
    .to_string();
    vec![sms(&recipient.mobile, body, "survey_invitation")]
}

/// The invitation to evaluate an answer to an inquiry (C1), by the contact the
/// asker gave.
pub fn survey_after_inquiry(
    base_url: &str,
    contact: &awn_storage::inquiries::InquiryContact,
    invitation: &awn_storage::surveys::NewInvitation,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(contact.language);
    let link = survey_link(base_url, invitation);
    let until = link_valid_until(invitation);
    let body =
        td_string!(locale, notices.survey_after_inquiry, link = link.as_str(), until = until.as_str()).to_string();
    if let Some(mobile) = contact.mobile.as_deref() {
        vec![sms(mobile, body, "survey_invitation")]
    } else if let Some(address) = contact.email.as_deref() {
        let subject = td_string!(locale, notices.survey_subject).to_string();
        vec![email(address, subject, body, "survey_invitation")]
    } else {
        Vec::new()
    }
}

/// An invitation staff send by hand.
pub fn survey_by_hand(
    base_url: &str,
    invitee: &awn_storage::surveys::HandInvitee,
    invitation: &awn_storage::surveys::NewInvitation,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(invitee.language);
    let link = survey_link(base_url, invitation);
    let until = link_valid_until(invitation);
    let body = td_string!(locale, notices.survey_by_hand, link = link.as_str(), until = until.as_str()).to_string();
    vec![sms(&invitee.mobile, body, "survey_invitation")]
}

/// The answer to a deletion request, as the person reads it: what was removed,
/// what was kept and why.
pub fn deletion_outcome(report: &awn_storage::data_requests::ErasureReport, language: Language) -> String {
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
    format!(
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
    )
}

/// What deleting a supporter's, member's or volunteer's data did, in their
/// language: what was removed, and what was kept and why.
pub fn party_deletion_outcome(report: &awn_storage::party_privacy::PartyErasure, language: Language) -> String {
    let locale = locale_of(language);
    let mut lines = vec![td_string!(locale, data_requests.party_removed).to_string()];
    if report.contributions_kept > 0 {
        let count = report.contributions_kept.to_string();
        lines.push(td_string!(locale, data_requests.kept_contributions, count = count.as_str()).to_string());
    }
    if report.member_register_kept {
        lines.push(td_string!(locale, data_requests.kept_member_register).to_string());
    }
    if report.hours_kept > 0 {
        let count = report.hours_kept.to_string();
        lines.push(td_string!(locale, data_requests.kept_hours, count = count.as_str()).to_string());
    }
    if report.account_closed {
        lines.push(td_string!(locale, data_requests.account_closed).to_string());
    }
    lines.push(td_string!(locale, data_requests.kept_always).to_string());
    lines.join("\n")
}

/// The code confirming a volunteer application's mobile. Always sent: the person asked for it.
pub fn volunteer_code(mobile: &SaudiMobile, code: &str, language: Language) -> Vec<NewOutboxMessage> {
    let locale = locale_of(language);
    let body = td_string!(locale, notices.volunteer_code, code = code).to_string();
    vec![sms(mobile.as_e164(), body, "volunteer_code")]
}

/// The decision on a volunteer application, with the staff member's message:
/// the answer to the person's own application, so it is sent.
pub fn volunteer_decided(volunteer: &awn_storage::volunteers::VolunteerRow) -> Vec<NewOutboxMessage> {
    use awn_domain::volunteers::VolunteerStatus;
    let locale = locale_of(volunteer.language);
    let message = volunteer.decision_message.clone().unwrap_or_default();
    let body = match volunteer.status {
        VolunteerStatus::Accepted => td_string!(locale, notices.volunteer_accepted, message = message).to_string(),
        _ => td_string!(locale, notices.volunteer_declined, message = message).to_string(),
    };
    vec![sms(&volunteer.mobile, body, "volunteer_decision")]
}
