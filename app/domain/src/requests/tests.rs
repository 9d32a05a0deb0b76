#[test]
fn every_field_problem_round_trips_through_its_code() {
    for problem in super::FieldProblem::ALL {
        assert_eq!(super::FieldProblem::from_code(problem.code()), Some(problem));
    }
    assert_eq!(super::FieldProblem::from_code("nope"), None);
}

use super::*;

const TODAY: CalendarDay = CalendarDay { year: 2026, month: 11, day: 25 };

fn kinds() -> Vec<String> {
    vec!["food_basket".into(), "rent".into()]
}

fn complete_draft() -> RequestDraft {
    RequestDraft {
        step: WizardStep::Declaration,
        full_name: "أسامة محمد الغامدي".into(),
        // 1000000008 passes the Luhn check.
        national_id: "1000000008".into(),
        birth_date: "1985-03-14".into(),
        mobile: "0501234567".into(),
        email: String::new(),
        city: "الرهاة".into(),
        district: "الشمال".into(),
        household_members: "5".into(),
        monthly_income: "3٬500".into(),
        housing: "rented".into(),
        support_kind: "rent".into(),
        description: "الإيجار متأخر ثلاثة أشهر".into(),
        declaration_accepted: true,
        signature: "اسامه محمد الغامدي".into(),
        consent_sms: true,
        consent_email: false,
    }
}

fn problems(errors: &[FieldError]) -> Vec<(&str, FieldProblem)> {
    errors.iter().map(|e| (e.field.as_str(), e.problem)).collect()
}

#[test]
fn every_state_has_a_unique_code_that_reads_back() {
    for status in RequestStatus::ALL {
        assert_eq!(RequestStatus::from_code(status.code()), Some(status));
    }
    assert_eq!(RequestStatus::from_code("approved"), None);
}

#[test]
fn the_normal_path_is_allowed_step_by_step() {
    use RequestStatus::*;
    let path = [
        Submitted,
        UnderVerification,
        ReferredToResearch,
        WithCommittee,
        Accepted,
        RegistrationCompleted,
        ServiceDelivered,
        Closed,
    ];
    for pair in path.windows(2) {
        assert_eq!(check_transition(pair[0], pair[1], ""), Ok(()), "{:?} → {:?}", pair[0], pair[1]);
    }
}

#[test]
fn skipping_steps_and_leaving_final_states_is_refused() {
    use RequestStatus::*;
    assert_eq!(
        check_transition(Submitted, Accepted, ""),
        Err(TransitionError::NotAllowed { from: Submitted, to: Accepted })
    );
    assert!(!UnderVerification.can_move_to(WithCommittee));
    assert!(!WithCommittee.can_move_to(ServiceDelivered));
    for status in RequestStatus::ALL {
        assert!(!Closed.can_move_to(status));
        assert!(!Rejected.can_move_to(status));
        assert!(!status.can_move_to(status), "{status:?} to itself");
    }
    assert!(!Rejected.is_open() && !Closed.is_open() && Accepted.is_open());
}

#[test]
fn rejection_and_missing_information_need_a_reason() {
    use RequestStatus::*;
    assert_eq!(check_transition(WithCommittee, Rejected, "  \u{200F} "), Err(TransitionError::ReasonRequired));
    assert_eq!(check_transition(UnderVerification, MissingInformation, ""), Err(TransitionError::ReasonRequired));
    assert_eq!(check_transition(WithCommittee, Rejected, "الدخل أعلى من الحد"), Ok(()));
}

#[test]
fn reference_numbers_are_padded() {
    assert_eq!(reference_number(2026, 42), "AWN-2026-000042");
    assert_eq!(reference_number(2027, 1_234_567), "AWN-2027-1234567");
}

#[test]
fn wizard_steps_go_forward_and_back() {
    assert_eq!(WizardStep::Applicant.number(), 1);
    assert_eq!(WizardStep::Declaration.number(), 5);
    assert_eq!(WizardStep::Applicant.previous(), None);
    assert_eq!(WizardStep::Applicant.next(), Some(WizardStep::Household));
    assert_eq!(WizardStep::Declaration.next(), None);
    assert_eq!(WizardStep::Documents.previous(), Some(WizardStep::Support));
    for step in WizardStep::ALL {
        assert_eq!(WizardStep::from_code(step.code()), Some(step));
    }
}

#[test]
fn a_complete_draft_validates_and_is_normalised() {
    let valid = validate_request(&complete_draft(), TODAY, &kinds()).expect("valid");
    assert_eq!(valid.mobile.as_e164(), "+966501234567");
    assert_eq!(valid.monthly_income, 3500);
    assert_eq!(valid.housing, Housing::Rented);
    assert_eq!(valid.birth_date, CalendarDay { year: 1985, month: 3, day: 14 });
    assert_eq!(valid.email, None);
    assert!(valid.consent_sms && !valid.consent_email);
}

#[test]
fn applicant_errors_are_reported_per_field() {
    let draft = RequestDraft {
        full_name: "Osama".into(),
        national_id: "1000000009".into(),
        birth_date: "2030-01-01".into(),
        mobile: "0112345678".into(),
        email: "osama@".into(),
        city: String::new(),
        district: "x".repeat(81),
        ..complete_draft()
    };
    assert_eq!(
        problems(&validate_step(&draft, WizardStep::Applicant, TODAY, &kinds())),
        vec![
            ("full_name", FieldProblem::NameNotArabic),
            ("national_id", FieldProblem::NationalIdCheckDigit),
            ("birth_date", FieldProblem::DateInFuture),
            ("mobile", FieldProblem::PhoneInvalid),
            ("email", FieldProblem::EmailInvalid),
            ("city", FieldProblem::Required),
            ("district", FieldProblem::TooLong),
        ]
    );
}

#[test]
fn birth_dates_must_be_real_and_plausible() {
    let check = |typed: &str| parse_birth_date(typed, TODAY);
    assert_eq!(check("١٩٨٥/٠٣/١٤"), Ok(CalendarDay { year: 1985, month: 3, day: 14 }));
    assert_eq!(check("2024-02-29").map(|d| d.day), Ok(29));
    assert_eq!(check("2023-02-29"), Err(FieldProblem::DateInvalid));
    assert_eq!(check("1985-13-01"), Err(FieldProblem::DateInvalid));
    assert_eq!(check("14-03-1985"), Err(FieldProblem::DateInvalid));
    assert_eq!(check(""), Err(FieldProblem::Required));
    assert_eq!(check("2026-11-26"), Err(FieldProblem::DateInFuture));
    assert_eq!(check("1900-01-01"), Err(FieldProblem::DateTooOld));
}

#[test]
fn household_numbers_are_bounded() {
    let draft = RequestDraft {
        household_members: "0".into(),
        monthly_income: "abc".into(),
        housing: "castle".into(),
        ..complete_draft()
    };
    assert_eq!(
        problems(&validate_step(&draft, WizardStep::Household, TODAY, &kinds())),
        vec![
            ("household_members", FieldProblem::NumberOutOfRange),
            ("monthly_income", FieldProblem::NumberInvalid),
            ("housing", FieldProblem::ChoiceInvalid),
        ]
    );
    let draft = RequestDraft { household_members: "٣١".into(), ..complete_draft() };
    assert_eq!(
        problems(&validate_step(&draft, WizardStep::Household, TODAY, &kinds())),
        vec![("household_members", FieldProblem::NumberOutOfRange)]
    );
}

#[test]
fn support_kind_must_be_offered_and_description_long_enough() {
    let draft = RequestDraft { support_kind: "car".into(), description: "قصير".into(), ..complete_draft() };
    assert_eq!(
        problems(&validate_step(&draft, WizardStep::Support, TODAY, &kinds())),
        vec![("support_kind", FieldProblem::ChoiceInvalid), ("description", FieldProblem::TooShort)]
    );
}

#[test]
fn the_declaration_needs_the_box_ticked_and_the_name_signed() {
    let draft = RequestDraft { declaration_accepted: false, signature: "سالم علي".into(), ..complete_draft() };
    assert_eq!(
        problems(&validate_step(&draft, WizardStep::Declaration, TODAY, &kinds())),
        vec![
            ("declaration_accepted", FieldProblem::DeclarationNotAccepted),
            ("signature", FieldProblem::SignatureMismatch),
        ]
    );
    let errors = validate_request(&draft, TODAY, &kinds()).expect_err("refused");
    assert_eq!(errors.len(), 2);
}

#[test]
fn set_field_keeps_what_was_typed_and_reads_checkboxes() {
    let mut draft = RequestDraft::default();
    assert!(draft.set_field("full_name", " Osama 1 "));
    assert_eq!(draft.full_name, " Osama 1 ");
    assert!(draft.set_field("consent_email", "on"));
    assert!(draft.consent_email);
    assert!(!draft.set_field("is_admin", "true"));
    draft.clear_step_booleans(WizardStep::Applicant);
    assert!(draft.consent_email);
    draft.clear_step_booleans(WizardStep::Declaration);
    assert!(!draft.consent_email);
}
