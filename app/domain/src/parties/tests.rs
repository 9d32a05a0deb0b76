use super::*;
use crate::workflow::WorkflowProblem;

fn day(year: i32, month: u8, day: u8) -> CalendarDay {
    CalendarDay { year, month, day }
}

const TODAY: CalendarDay = CalendarDay { year: 2026, month: 11, day: 30 };

fn problems<T: std::fmt::Debug>(result: Result<T, Vec<WorkflowError>>) -> Vec<(String, WorkflowProblem)> {
    result.expect_err("refused").into_iter().map(|e| (e.field, e.problem)).collect()
}

#[test]
fn riyals_are_read_in_any_digits_to_the_halala() {
    assert_eq!(parse_riyals("1500"), Ok(150_000));
    assert_eq!(parse_riyals("1,500.5"), Ok(150_050));
    assert_eq!(parse_riyals("١٥٠٠٫٧٥"), Ok(150_075));
    assert_eq!(parse_riyals("0.01"), Ok(1));
    assert_eq!(parse_riyals(""), Err(WorkflowProblem::Required));
    assert_eq!(parse_riyals("0"), Err(WorkflowProblem::NumberOutOfRange));
    assert_eq!(parse_riyals("1.234"), Err(WorkflowProblem::NumberInvalid));
    assert_eq!(parse_riyals("-5"), Err(WorkflowProblem::NumberInvalid));
    assert_eq!(parse_riyals("ten"), Err(WorkflowProblem::NumberInvalid));
    assert_eq!(parse_riyals("100000001"), Err(WorkflowProblem::NumberOutOfRange));
}

#[test]
fn a_supporter_needs_a_kind_and_a_name_and_valid_contacts_if_any() {
    let form = SupporterForm {
        kind: "organisation".into(),
        name: "  مؤسسة الخير  ".into(),
        mobile: "0551234567".into(),
        email: String::new(),
        anonymous: "on".into(),
        consent_news: String::new(),
    };
    let supporter = check_supporter(&form).expect("valid");
    assert_eq!(supporter.kind, SupporterKind::Organisation);
    assert_eq!(supporter.name, "مؤسسة الخير");
    assert!(supporter.anonymous && !supporter.consent_news);
    assert_eq!(supporter.mobile.map(|m| m.as_e164().to_owned()), Some("+966551234567".into()));
    let bad =
        SupporterForm { kind: "robot".into(), name: " ".into(), mobile: "123".into(), email: "x@".into(), ..form };
    assert_eq!(
        problems(check_supporter(&bad)),
        vec![
            ("kind".into(), WorkflowProblem::ChoiceInvalid),
            ("name".into(), WorkflowProblem::Required),
            ("mobile".into(), WorkflowProblem::PhoneInvalid),
            ("email".into(), WorkflowProblem::EmailInvalid),
        ]
    );
}

#[test]
fn money_needs_an_amount_and_nothing_is_received_in_the_future() {
    let form = ContributionForm {
        kind: "money".into(),
        amount: "2500".into(),
        received_on: "2026-11-29".into(),
        purpose: "سلال رمضان".into(),
        channel: "bank_transfer".into(),
        receipt_number: "R-١٢٣".into(),
    };
    let contribution = check_contribution(&form, TODAY).expect("valid");
    assert_eq!(contribution.amount_halalas, Some(250_000));
    assert_eq!(contribution.received_on, day(2026, 11, 29));
    assert_eq!(contribution.receipt_number, "R-123");
    let in_kind =
        ContributionForm { kind: "in_kind".into(), amount: String::new(), channel: "delivered".into(), ..form.clone() };
    assert_eq!(check_contribution(&in_kind, TODAY).expect("valid").amount_halalas, None);
    let bad =
        ContributionForm { amount: String::new(), received_on: "2026-12-01".into(), channel: String::new(), ..form };
    assert_eq!(
        problems(check_contribution(&bad, TODAY)),
        vec![
            ("amount".into(), WorkflowProblem::Required),
            ("received_on".into(), WorkflowProblem::DateInFuture),
            ("channel".into(), WorkflowProblem::Required),
        ]
    );
}

#[test]
fn a_member_needs_a_number_a_name_and_a_joining_day() {
    let form = MemberForm {
        membership_number: "٠٠٤٢".into(),
        full_name: "سعد محمد الغامدي".into(),
        national_id: "1000000008".into(),
        mobile: String::new(),
        joined_on: "2020-01-15".into(),
    };
    let member = check_member(&form, TODAY).expect("valid");
    assert_eq!(member.membership_number, "0042");
    assert!(member.national_id.is_some() && member.mobile.is_none());
    let bad = MemberForm { membership_number: String::new(), national_id: "1000000009".into(), ..form };
    assert_eq!(
        problems(check_member(&bad, TODAY)),
        vec![
            ("membership_number".into(), WorkflowProblem::Required),
            ("national_id".into(), WorkflowProblem::NationalIdCheckDigit),
        ]
    );
    assert!(member_may_move(MemberStatus::Active, MemberStatus::Left));
    assert!(member_may_move(MemberStatus::Left, MemberStatus::Active));
    assert!(!member_may_move(MemberStatus::Active, MemberStatus::Active));
}
