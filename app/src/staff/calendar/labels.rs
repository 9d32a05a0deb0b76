//! The words of the calendar page's codes: holiday kinds, rules, units, jobs.

use awn_domain::deadlines::{ClockRule, ClockUnit, HolidayKind};

use crate::i18n::*;

pub fn holiday_kind_text(locale: Locale, kind: HolidayKind) -> String {
    match kind {
        HolidayKind::EidAlFitr => td_string!(locale, calendar.kind_eid_al_fitr),
        HolidayKind::EidAlAdha => td_string!(locale, calendar.kind_eid_al_adha),
        HolidayKind::FoundingDay => td_string!(locale, calendar.kind_founding_day),
        HolidayKind::NationalDay => td_string!(locale, calendar.kind_national_day),
        HolidayKind::Other => td_string!(locale, calendar.kind_other),
    }
    .to_string()
}

/// A rule's name and what it promises.
pub fn rule_text(locale: Locale, rule: ClockRule) -> (String, String) {
    let (name, about) = match rule {
        ClockRule::Decision => {
            (td_string!(locale, calendar.rule_decision), td_string!(locale, calendar.rule_decision_about))
        }
        ClockRule::MissingInformation => (
            td_string!(locale, calendar.rule_missing_information),
            td_string!(locale, calendar.rule_missing_information_about),
        ),
        ClockRule::ComplaintResolution => (
            td_string!(locale, calendar.rule_complaint_resolution),
            td_string!(locale, calendar.rule_complaint_resolution_about),
        ),
        ClockRule::InquiryAnswer => {
            (td_string!(locale, calendar.rule_inquiry_answer), td_string!(locale, calendar.rule_inquiry_answer_about))
        }
        ClockRule::DataRequest => {
            (td_string!(locale, calendar.rule_data_request), td_string!(locale, calendar.rule_data_request_about))
        }
        ClockRule::BreachNotification => (
            td_string!(locale, calendar.rule_breach_notification),
            td_string!(locale, calendar.rule_breach_notification_about),
        ),
        ClockRule::InformAffected => {
            (td_string!(locale, calendar.rule_inform_affected), td_string!(locale, calendar.rule_inform_affected_about))
        }
        ClockRule::ImprovementAction => (
            td_string!(locale, calendar.rule_improvement_action),
            td_string!(locale, calendar.rule_improvement_action_about),
        ),
    };
    (name.to_string(), about.to_string())
}

pub fn unit_text(locale: Locale, unit: ClockUnit) -> String {
    match unit {
        ClockUnit::WorkingDays => td_string!(locale, calendar.unit_working_days),
        ClockUnit::CalendarDays => td_string!(locale, calendar.unit_calendar_days),
        ClockUnit::CalendarHours => td_string!(locale, calendar.unit_calendar_hours),
    }
    .to_string()
}

/// A scheduled job's name in words (the names `server::scheduler` gives its
/// jobs); an unknown job keeps its code.
pub fn job_text(locale: Locale, name: &str) -> String {
    match name {
        "deadlines" => td_string!(locale, calendar.job_clock_reminders).to_string(),
        "digest" => td_string!(locale, calendar.job_daily_digest).to_string(),
        other => other.to_owned(),
    }
}
