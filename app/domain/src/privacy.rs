//! Rules of the privacy policy that staff forms apply: a disclosure to a third
//! party only on an authority's order (B1, B4), and the deadline for notifying
//! a personal-data breach (B12; the PDPL's implementing regulation gives 72
//! hours from becoming aware of it).

use serde::{Deserialize, Serialize};

use crate::{
    calendar::CalendarDay,
    workflow::{
        Checked, MAX_SHORT_TEXT_CHARS, WorkflowError, WorkflowProblem, optional_note, parse_day, required_line,
        required_note,
    },
};

crate::code_table! {
    /// Where a violation report stands (B12). Serialized as its code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ReportStatus {
        /// Nobody has started investigating.
        Received = "received",
        Investigating = "investigating",
        /// Closed with an outcome.
        Closed = "closed",
    }
}

crate::code_table! {
    /// What a person asks of their data (B3). Serialized as its code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DataRequestKind {
        Correction = "correction",
        Deletion = "deletion",
        /// A copy of everything held about the person. Beneficiaries take
        /// theirs themselves (my data); supporters, members and volunteers ask
        /// the privacy officer, who hands it over.
        Access = "access",
    }
}

crate::code_table! {
    /// Every kind of person the association deals with (A1), whose data the
    /// privacy policy protects alike (B1). Serialized as its code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PartyKind {
        Beneficiary = "beneficiary",
        Supporter = "supporter",
        Member = "member",
        Volunteer = "volunteer",
    }
}

/// The person a request about one's data is about: which register, which row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataSubject {
    pub kind: PartyKind,
    pub id: i64,
}

impl DataSubject {
    pub fn new(kind: PartyKind, id: i64) -> Self {
        Self { kind, id }
    }

    /// Where staff open the person's record in the workspace.
    pub fn staff_path(self) -> String {
        match self.kind {
            PartyKind::Beneficiary => format!("/staff/beneficiaries/{}", self.id),
            PartyKind::Supporter => format!("/staff/supporters/{}", self.id),
            PartyKind::Member => format!("/staff/members/{}", self.id),
            PartyKind::Volunteer => format!("/staff/volunteers#volunteer-{}", self.id),
        }
    }

    /// How the audit log names the person when they are not a beneficiary
    /// (whose entries carry the beneficiary's id in their own column).
    pub fn audit_name(self) -> String {
        format!("{}:{}", self.kind.code(), self.id)
    }
}

crate::code_table! {
    /// How a request about one's data reached the privacy officer.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DataRequestChannel {
        /// Sent by the beneficiary from "my data".
        #[default]
        Website = "website",
        Phone = "phone",
        Email = "email",
        InPerson = "in_person",
        Letter = "letter",
    }
}

/// A request about one's data as staff typed it, for a person without an
/// account (a supporter, member or volunteer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedDataRequestForm {
    /// A [`PartyKind`] code other than a beneficiary's.
    pub party: String,
    /// The person's number in that register.
    pub number: String,
    pub kind: String,
    pub channel: String,
    pub details: String,
}

/// A recorded request that may be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedDataRequest {
    pub subject: DataSubject,
    pub kind: DataRequestKind,
    pub channel: DataRequestChannel,
    pub details: String,
}

/// One of a form's choices: nothing chosen is `Required`, an unknown code `ChoiceInvalid`.
fn choice<T>(typed: &str, from_code: impl Fn(&str) -> Option<T>) -> Result<T, WorkflowProblem> {
    match typed.trim() {
        "" => Err(WorkflowProblem::Required),
        code => from_code(code).ok_or(WorkflowProblem::ChoiceInvalid),
    }
}

/// Checks a request typed by staff: a register other than the beneficiaries'
/// (they send their own), a number, a kind, how it came, and for a correction
/// what to correct. The first problem of each field, all fields at once.
pub fn check_recorded_data_request(form: &RecordedDataRequestForm) -> Result<RecordedDataRequest, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let party = checked.field(
        "party",
        match PartyKind::from_code(form.party.trim()) {
            Some(PartyKind::Beneficiary) => Err(WorkflowProblem::ChoiceInvalid),
            Some(kind) => Ok(kind),
            None if form.party.trim().is_empty() => Err(WorkflowProblem::Required),
            None => Err(WorkflowProblem::ChoiceInvalid),
        },
    );
    let number = crate::digits::normalize_digits(form.number.trim());
    let id = checked.field(
        "number",
        match number.parse::<i64>() {
            Ok(id) if id > 0 => Ok(id),
            _ if number.is_empty() => Err(WorkflowProblem::Required),
            _ => Err(WorkflowProblem::NumberInvalid),
        },
    );
    let kind = checked.field("kind", choice(&form.kind, DataRequestKind::from_code));
    let channel = checked.field(
        "channel",
        choice(&form.channel, DataRequestChannel::from_code).and_then(|channel| {
            if channel == DataRequestChannel::Website { Err(WorkflowProblem::ChoiceInvalid) } else { Ok(channel) }
        }),
    );
    let details = checked.field(
        "details",
        if kind == Some(DataRequestKind::Correction) {
            required_note(&form.details)
        } else {
            optional_note(&form.details)
        },
    );
    let value = match (party, id, kind, channel, details) {
        (Some(party), Some(id), Some(kind), Some(channel), Some(details)) => {
            Some(RecordedDataRequest { subject: DataSubject::new(party, id), kind, channel, details })
        }
        _ => None,
    };
    checked.finish(value)
}

crate::code_table! {
    /// Where a request about one's data stands. Serialized as its code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DataRequestStatus {
        Open = "open",
        Done = "done",
        Refused = "refused",
    }
}

/// A disclosure as typed by the privacy officer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureForm {
    pub authority: String,
    pub order_reference: String,
    pub order_date: String,
    pub data_disclosed: String,
}

/// A disclosure that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The judicial or regulatory authority that ordered it.
    pub authority: String,
    pub order_reference: String,
    pub order_date: CalendarDay,
    /// What was handed over.
    pub data_disclosed: String,
}

/// Checks a disclosure: the authority, the order's reference and its date (not
/// in the future) are all required; nothing goes out without them.
pub fn check_disclosure(form: &DisclosureForm, today: CalendarDay) -> Result<Disclosure, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let authority = checked.field("authority", required_line(&form.authority, MAX_SHORT_TEXT_CHARS));
    let order_reference = checked.field("order_reference", required_line(&form.order_reference, MAX_SHORT_TEXT_CHARS));
    let order_date = checked.field(
        "order_date",
        parse_day(&form.order_date).and_then(|day| {
            if day.sort_key() > today.sort_key() { Err(WorkflowProblem::DateInFuture) } else { Ok(day) }
        }),
    );
    let data_disclosed = checked.field("data_disclosed", required_note(&form.data_disclosed));
    let disclosure = (|| {
        Some(Disclosure {
            authority: authority?,
            order_reference: crate::digits::normalize_digits(&order_reference?),
            order_date: order_date?,
            data_disclosed: data_disclosed?,
        })
    })();
    checked.finish(disclosure)
}

/// Hours from becoming aware of a breach to notifying the authority.
pub const BREACH_NOTIFICATION_HOURS: i64 = 72;

/// When the notification of a breach the association became aware of at
/// `aware_at` is due.
pub fn breach_notification_due(aware_at: i64) -> i64 {
    aware_at + BREACH_NOTIFICATION_HOURS * 3600
}

/// What is left of the time to notify, in whole minutes; negative once late.
pub fn breach_minutes_left(aware_at: i64, now: i64) -> i64 {
    (breach_notification_due(aware_at) - now).div_euclid(60)
}

/// A violation report's state, as its steps need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportState {
    /// Still "received": nobody has started investigating.
    pub received: bool,
    pub closed: bool,
    pub is_breach: bool,
    pub notified: bool,
    /// The people affected by the breach were told.
    pub affected_informed: bool,
}

/// A step on a violation report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    Investigate,
    /// A personal-data breach that must be notified to the authority.
    MarkBreach,
    /// The authority was notified.
    RecordNotification,
    /// The people affected were told.
    RecordAffectedInformed,
    /// Closed with an outcome.
    Close,
}

/// Why a step cannot be taken now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStepRefusal {
    /// A closed report takes no step.
    Closed,
    /// Investigating what is already investigated, marking a breach twice,
    /// notifying what is not a breach or was notified already.
    NotNow,
}

/// Whether `action` may be taken on a report in `state`.
pub fn check_report_step(state: ReportState, action: ReportAction) -> Result<(), ReportStepRefusal> {
    if state.closed {
        return Err(ReportStepRefusal::Closed);
    }
    let allowed = match action {
        ReportAction::Investigate => state.received,
        ReportAction::MarkBreach => !state.is_breach,
        ReportAction::RecordNotification => state.is_breach && !state.notified,
        ReportAction::RecordAffectedInformed => state.is_breach && !state.affected_informed,
        ReportAction::Close => true,
    };
    if allowed { Ok(()) } else { Err(ReportStepRefusal::NotNow) }
}

/// The breach notification clock a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreachClock {
    /// When the notification is (or was) due: on a breach, and on every open
    /// report not yet notified.
    pub due_at: Option<i64>,
    /// Minutes left to notify (negative when late), on every open report not
    /// yet notified: the 72 hours run from the moment the association became
    /// aware, before anyone has decided whether it is a breach.
    pub minutes_left: Option<i64>,
}

/// The clock of a report the association became aware of at `aware_at`.
pub fn breach_clock(state: ReportState, aware_at: i64, now: i64) -> BreachClock {
    let awaiting = !state.notified && !state.closed;
    BreachClock {
        due_at: (state.is_breach || awaiting).then(|| breach_notification_due(aware_at)),
        minutes_left: awaiting.then(|| breach_minutes_left(aware_at, now)),
    }
}

/// Whether a data request is late: still open past its due moment.
pub fn data_request_overdue(open: bool, due_at: i64, now: i64) -> bool {
    open && due_at < now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> CalendarDay {
        CalendarDay { year, month, day }
    }

    fn form() -> DisclosureForm {
        DisclosureForm {
            authority: "المحكمة العامة بالرهاة".into(),
            order_reference: "٤٥/ق/١٤٤٨".into(),
            order_date: "2026-11-20".into(),
            data_disclosed: "بيانات الطلب AWN-2026-000012 ومستنداته".into(),
        }
    }

    #[test]
    fn a_disclosure_needs_the_authority_the_order_reference_and_its_date() {
        let disclosure = check_disclosure(&form(), day(2026, 11, 25)).expect("complete");
        assert_eq!(disclosure.order_reference, "45/ق/1448");
        assert_eq!(disclosure.order_date, day(2026, 11, 20));

        let without_order = DisclosureForm { order_reference: "  ".into(), ..form() };
        let errors = check_disclosure(&without_order, day(2026, 11, 25)).unwrap_err();
        assert_eq!(errors, [WorkflowError { field: "order_reference".into(), problem: WorkflowProblem::Required }]);

        let empty = check_disclosure(&DisclosureForm::default(), day(2026, 11, 25)).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["authority", "order_reference", "order_date", "data_disclosed"]);
    }

    #[test]
    fn an_order_dated_in_the_future_is_refused() {
        let errors = check_disclosure(&form(), day(2026, 11, 19)).unwrap_err();
        assert_eq!(errors, [WorkflowError { field: "order_date".into(), problem: WorkflowProblem::DateInFuture }]);
    }

    #[test]
    fn a_breach_is_notified_within_72_hours_of_becoming_aware() {
        let aware = 1_795_000_000;
        assert_eq!(breach_notification_due(aware), aware + 72 * 3600);
        assert_eq!(breach_minutes_left(aware, aware), 72 * 60);
        assert_eq!(breach_minutes_left(aware, aware + 71 * 3600 + 59 * 60 + 30), 0);
        assert_eq!(breach_minutes_left(aware, aware + 73 * 3600), -60);
    }

    fn state(received: bool, closed: bool, is_breach: bool, notified: bool) -> ReportState {
        ReportState { received, closed, is_breach, notified, affected_informed: false }
    }

    #[test]
    fn a_report_step_is_taken_only_in_its_turn() {
        use ReportAction::*;
        let fresh = state(true, false, false, false);
        assert_eq!(check_report_step(fresh, Investigate), Ok(()));
        assert_eq!(check_report_step(fresh, MarkBreach), Ok(()));
        assert_eq!(check_report_step(fresh, RecordNotification), Err(ReportStepRefusal::NotNow));
        assert_eq!(check_report_step(fresh, Close), Ok(()));

        let breach = state(false, false, true, false);
        assert_eq!(check_report_step(breach, Investigate), Err(ReportStepRefusal::NotNow));
        assert_eq!(check_report_step(breach, MarkBreach), Err(ReportStepRefusal::NotNow));
        assert_eq!(check_report_step(breach, RecordNotification), Ok(()));
        let notified = ReportState { notified: true, ..breach };
        assert_eq!(check_report_step(notified, RecordNotification), Err(ReportStepRefusal::NotNow));

        let closed = state(false, true, false, false);
        for action in [Investigate, MarkBreach, RecordNotification, Close] {
            assert_eq!(check_report_step(closed, action), Err(ReportStepRefusal::Closed));
        }
    }

    #[test]
    fn the_clock_runs_on_every_open_report_until_notified() {
        let aware = 1_795_000_000;
        let now = aware + 3600;
        let open = breach_clock(state(true, false, false, false), aware, now);
        assert_eq!(open, BreachClock { due_at: Some(aware + 72 * 3600), minutes_left: Some(71 * 60) });
        let notified = breach_clock(state(false, false, true, true), aware, now);
        assert_eq!(notified, BreachClock { due_at: Some(aware + 72 * 3600), minutes_left: None });
        let closed = breach_clock(state(false, true, false, false), aware, now);
        assert_eq!(closed, BreachClock { due_at: None, minutes_left: None });
    }

    #[test]
    fn a_data_request_is_late_only_while_open_past_its_due_moment() {
        // Its due moment is its clock's (`deadlines`): 30 days, extended once.
        let due = 1_795_000_000 + 30 * 86_400;
        assert!(!data_request_overdue(true, due, due));
        assert!(data_request_overdue(true, due, due + 1));
        assert!(!data_request_overdue(false, due, due + 1));
    }

    fn recorded(party: &str, number: &str, kind: &str, channel: &str, details: &str) -> RecordedDataRequestForm {
        RecordedDataRequestForm {
            party: party.into(),
            number: number.into(),
            kind: kind.into(),
            channel: channel.into(),
            details: details.into(),
        }
    }

    fn fields(form: &RecordedDataRequestForm) -> Vec<(String, WorkflowProblem)> {
        check_recorded_data_request(form).err().unwrap_or_default().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_request_taken_by_phone_names_a_register_a_number_and_how_it_came() {
        let taken = check_recorded_data_request(&recorded("supporter", "١٢", "access", "phone", "  ")).unwrap();
        assert_eq!(taken.subject, DataSubject::new(PartyKind::Supporter, 12));
        assert_eq!(
            (taken.kind, taken.channel, taken.details.as_str()),
            (DataRequestKind::Access, DataRequestChannel::Phone, "")
        );
        assert_eq!(taken.subject.staff_path(), "/staff/supporters/12");
        assert_eq!(taken.subject.audit_name(), "supporter:12");
    }

    #[test]
    fn a_recorded_request_says_every_missing_field_at_once() {
        // Beneficiaries send their own requests; the website is theirs.
        let problems = fields(&recorded("beneficiary", "", "erase", "website", ""));
        let invalid = WorkflowProblem::ChoiceInvalid;
        assert_eq!(
            problems,
            [
                ("party".into(), invalid),
                ("number".into(), WorkflowProblem::Required),
                ("kind".into(), invalid),
                ("channel".into(), invalid)
            ]
        );
        assert_eq!(fields(&recorded("", "1", "", "", "")).len(), 3);
        let not_a_number = [("number".into(), WorkflowProblem::NumberInvalid)];
        assert_eq!(fields(&recorded("member", "abc", "deletion", "letter", "")), not_a_number);
        assert_eq!(fields(&recorded("member", "0", "deletion", "letter", "")), not_a_number);
        // A correction says what to correct.
        assert_eq!(
            fields(&recorded("volunteer", "3", "correction", "email", " ")),
            [("details".into(), WorkflowProblem::Required)]
        );
        assert_eq!(
            fields(&recorded("volunteer", "3", "deletion", "in_person", &"x".repeat(5000))),
            [("details".into(), WorkflowProblem::TooLong)]
        );
    }
}
