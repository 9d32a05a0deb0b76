//! The messages the deadline clocks send: to staff (reminder, escalation,
//! daily digest, by the channel each chose) and to the beneficiary (what is
//! missing, a request that lapsed, a period extended and why).

use awn_domain::{deadlines::ClockRule, locale::Language};
use awn_storage::{clocks::StaffRecipient, outbox::NewOutboxMessage, requests::NoticeRecipient};

use super::{as_consented, email, short_dual_date, sms};
use crate::{i18n::*, preferences::locale_of};

/// Staff read Awn in Arabic, the association's language.
const STAFF_LANGUAGE: Language = Language::Arabic;

/// A rule's name in a language.
pub fn rule_name(locale: Locale, rule: ClockRule) -> String {
    match rule {
        ClockRule::Decision => td_string!(locale, deadlines.rule.decision),
        ClockRule::MissingInformation => td_string!(locale, deadlines.rule.missing_information),
        ClockRule::ComplaintResolution => td_string!(locale, deadlines.rule.complaint_resolution),
        ClockRule::InquiryAnswer => td_string!(locale, deadlines.rule.inquiry_answer),
        ClockRule::DataRequest => td_string!(locale, deadlines.rule.data_request),
        ClockRule::BreachNotification => td_string!(locale, deadlines.rule.breach_notification),
        ClockRule::InformAffected => td_string!(locale, deadlines.rule.inform_affected),
        ClockRule::ImprovementAction => td_string!(locale, deadlines.rule.improvement_action),
    }
    .to_string()
}

/// The text sent to a member of staff by the channel they chose beyond the
/// workspace (none for the workspace alone, or without the contact for it).
fn to_staff(person: &StaffRecipient, subject: String, body: String, purpose: &str) -> Vec<NewOutboxMessage> {
    match (person.channel.as_str(), person.email.as_deref(), person.mobile.as_deref()) {
        ("email", Some(address), _) => vec![email(address, subject, body, purpose)],
        ("sms", _, Some(mobile)) => vec![sms(mobile, body, purpose)],
        _ => Vec::new(),
    }
}

/// A deadline coming up, for the person responsible.
pub fn staff_reminder(person: &StaffRecipient, rule: ClockRule, label: &str, due_at: i64) -> Vec<NewOutboxMessage> {
    let locale = locale_of(STAFF_LANGUAGE);
    let (rule, date) = (rule_name(locale, rule), short_dual_date(due_at, locale));
    let subject = td_string!(locale, notices.deadline_subject, rule = rule.as_str(), label = label).to_string();
    let body = td_string!(locale, notices.staff_reminder, rule = rule.as_str(), label = label, date = date.as_str())
        .to_string();
    to_staff(person, subject, body, "deadline_reminder")
}

/// A deadline passed, for the supervisor (or an admin).
pub fn staff_escalation(person: &StaffRecipient, rule: ClockRule, label: &str, due_at: i64) -> Vec<NewOutboxMessage> {
    let locale = locale_of(STAFF_LANGUAGE);
    let (rule, date) = (rule_name(locale, rule), short_dual_date(due_at, locale));
    let subject = td_string!(locale, notices.deadline_subject, rule = rule.as_str(), label = label).to_string();
    let body = td_string!(locale, notices.staff_escalation, rule = rule.as_str(), label = label, date = date.as_str())
        .to_string();
    to_staff(person, subject, body, "deadline_escalation")
}

/// The morning's digest: overdue, today, this week.
pub fn staff_digest(person: &StaffRecipient, counts: [i64; 3]) -> Vec<NewOutboxMessage> {
    let locale = locale_of(STAFF_LANGUAGE);
    let [overdue, today, week] = counts;
    let subject = td_string!(locale, notices.digest_subject).to_string();
    let body = td_string!(locale, notices.staff_digest, overdue = overdue, today = today, week = week).to_string();
    to_staff(person, subject, body, "deadline_digest")
}

/// What was asked for is still missing: by the channels the beneficiary chose.
pub fn missing_information_reminder(recipient: &NoticeRecipient, due_at: i64) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let date = short_dual_date(due_at, locale);
    let body =
        td_string!(locale, notices.missing_reminder, reference = recipient.reference.as_str(), date = date.as_str())
            .to_string();
    as_consented(recipient, body, "missing_information_reminder")
}

/// Why a request lapsed, on its timeline, in the beneficiary's language.
pub fn lapse_reason(language: Language, due_at: i64) -> String {
    let locale = locale_of(language);
    let date = short_dual_date(due_at, locale);
    td_string!(locale, notices.lapse_reason, date = date.as_str()).to_string()
}

/// The request was closed because what was asked for never came. Always sent:
/// the person must know their request ended.
pub fn request_lapsed(recipient: &NoticeRecipient, due_at: i64) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let date = short_dual_date(due_at, locale);
    let body =
        td_string!(locale, notices.request_lapsed, reference = recipient.reference.as_str(), date = date.as_str())
            .to_string();
    let mut messages = vec![sms(&recipient.mobile, body.clone(), "request_lapsed")];
    if let (true, Some(address)) = (recipient.consent_email, recipient.email.as_deref()) {
        let subject =
            td_string!(locale, notices.status_changed_subject, reference = recipient.reference.as_str()).to_string();
        messages.push(email(address, subject, body, "request_lapsed"));
    }
    messages
}

/// The committee needs longer: the new date and why. Always sent (A3, A13).
pub fn decision_extended(recipient: &NoticeRecipient, due_at: i64, reason: &str) -> Vec<NewOutboxMessage> {
    let locale = locale_of(recipient.language);
    let date = short_dual_date(due_at, locale);
    let body = td_string!(
        locale,
        notices.decision_extended,
        reference = recipient.reference.as_str(),
        date = date.as_str(),
        reason = reason
    )
    .to_string();
    let mut messages = vec![sms(&recipient.mobile, body.clone(), "decision_extended")];
    if let (true, Some(address)) = (recipient.consent_email, recipient.email.as_deref()) {
        let subject =
            td_string!(locale, notices.status_changed_subject, reference = recipient.reference.as_str()).to_string();
        messages.push(email(address, subject, body, "decision_extended"));
    }
    messages
}

/// The answer to a request about one's data comes later, and why: told before
/// the first deadline, as the law requires.
pub fn data_request_extended(mobile: &str, language: Language, due_at: i64, reason: &str) -> Vec<NewOutboxMessage> {
    let locale = locale_of(language);
    let date = short_dual_date(due_at, locale);
    let body = td_string!(locale, notices.data_request_extended, date = date.as_str(), reason = reason).to_string();
    vec![sms(mobile, body, "data_request_extended")]
}
