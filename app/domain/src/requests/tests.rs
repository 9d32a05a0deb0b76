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
        members: Vec::new(),
    }
}

fn member(name: &str, relation: &str, birth: &str, id: &str) -> MemberDraft {
    MemberDraft {
        full_name: name.into(),
        relation: relation.into(),
        birth_date: birth.into(),
        national_id: id.into(),
        has_income: "no".into(),
    }
}

#[test]
fn household_members_are_listed_checked_and_kept_within_the_count() {
    let mut draft = complete_draft();
    draft.members = vec![
        member("فاطمة علي الغامدي", "spouse", "1988-01-02", ""),
        MemberDraft::default(),
        member("خالد أسامة الغامدي", "son", "2010-06-01", "1000000016"),
    ];
    let valid = validate_request(&draft, TODAY, &kinds()).expect("valid");
    assert_eq!(valid.members.len(), 2, "the blank row is no member");
    assert_eq!(valid.members[0].relation, Relation::Spouse);
    assert_eq!(valid.members[0].national_id, None);
    assert_eq!(valid.members[1].national_id.as_ref().map(|id| id.as_str()), Some("1000000016"));

    draft.household_members = "2".into();
    let errors = validate_step(&draft, WizardStep::Household, TODAY, &kinds());
    assert_eq!(problems(&errors), [("household_members", FieldProblem::TooManyMembers)]);

    draft.household_members = "5".into();
    draft.members[2].national_id = "1000000017".into();
    draft.members[0].relation = "cousin".into();
    let errors = validate_step(&draft, WizardStep::Household, TODAY, &kinds());
    assert_eq!(problems(&errors), [("household_members", FieldProblem::MembersInvalid)]);
    let rows = check_members(&draft.members, TODAY).expect_err("invalid rows");
    assert_eq!(
        rows,
        [
            MemberError { position: 0, field: MemberField::Relation, problem: FieldProblem::ChoiceInvalid },
            MemberError { position: 1, field: MemberField::NationalId, problem: FieldProblem::NationalIdCheckDigit },
        ]
    );
}

fn problems(errors: &[FieldError]) -> Vec<(&str, FieldProblem)> {
    errors.iter().map(|e| (e.field.code(), e.problem)).collect()
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
    assert_eq!(check("14-03-1985"), Ok(CalendarDay { year: 1985, month: 3, day: 14 }));
    assert_eq!(check("14/03/85"), Err(FieldProblem::DateInvalid));
    // Typed in Hijri, kept as its Gregorian day: 22 Jumada al-Akhirah 1405.
    assert_eq!(check("١٤٠٥/٠٦/٢٢"), Ok(CalendarDay { year: 1985, month: 3, day: 14 }));
    assert_eq!(check("1445/10/30"), Err(FieldProblem::NoSuchHijriDay));
    assert_eq!(check("1448/06/20"), Err(FieldProblem::DateInFuture));
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
    draft.set_field(ApplicantField::FullName, " Osama 1 ");
    assert_eq!(draft.full_name, " Osama 1 ");
    draft.set_fields(&[(ApplicantField::ConsentEmail, "on".into()), (ApplicantField::City, "الرهاة".into())]);
    assert!(draft.consent_email);
    assert_eq!(draft.city, "الرهاة");
    assert_eq!(ApplicantField::from_code("is_admin"), None, "a name the form does not have sets nothing");
    draft.clear_step_booleans(WizardStep::Applicant);
    assert!(draft.consent_email);
    draft.clear_step_booleans(WizardStep::Declaration);
    assert!(!draft.consent_email);
}

#[test]
fn every_field_belongs_to_exactly_one_step_in_the_forms_order() {
    let in_steps: Vec<ApplicantField> = WizardStep::ALL.iter().flat_map(|step| step.fields().iter().copied()).collect();
    assert_eq!(in_steps, ApplicantField::ALL, "the steps hold every field once, in the order posted");
    for field in ApplicantField::ALL {
        assert!(field.step().fields().contains(&field));
    }
    assert_eq!(ApplicantField::Signature.step(), WizardStep::Declaration);
    assert_eq!(ApplicantField::Housing.step(), WizardStep::Household);
    assert!(WizardStep::Documents.fields().is_empty());
    let checkboxes: Vec<_> = ApplicantField::ALL.into_iter().filter(|f| f.is_checkbox()).collect();
    assert_eq!(
        checkboxes,
        [ApplicantField::DeclarationAccepted, ApplicantField::ConsentSms, ApplicantField::ConsentEmail]
    );
}

#[test]
fn a_field_error_is_stored_with_the_fields_name_as_before() {
    let error = FieldError { field: ApplicantField::NationalId, problem: FieldProblem::NotDigits };
    let json = serde_json::to_string(&error).expect("serializes");
    assert_eq!(json, r#"{"field":"national_id","problem":"NotDigits"}"#);
    let read: Vec<FieldError> =
        serde_json::from_str(r#"[{"field":"signature","problem":"SignatureMismatch"}]"#).expect("an old row reads");
    assert_eq!(read, [FieldError { field: ApplicantField::Signature, problem: FieldProblem::SignatureMismatch }]);
    assert!(serde_json::from_str::<FieldError>(r#"{"field":"is_admin","problem":"Required"}"#).is_err());
}

#[test]
fn the_buttons_move_the_wizard_as_they_say() {
    use WizardMove::*;
    assert_eq!(WizardMove::from_button(None), Next);
    assert_eq!(WizardMove::from_button(Some("next")), Next);
    assert_eq!(WizardMove::from_button(Some("back")), Back);
    assert_eq!(WizardMove::from_button(Some("save")), Save);
    assert_eq!(WizardMove::from_button(Some("submit")), Submit);
    assert_eq!(WizardMove::from_button(Some("to:applicant")), To(WizardStep::Applicant));
    assert_eq!(WizardMove::from_button(Some("to:nowhere")), Save);
    assert_eq!(WizardMove::from_button(Some("anything")), Next);

    let (household, support) = (WizardStep::Household, WizardStep::Support);
    assert_eq!(Next.destination(household, true), support);
    assert_eq!(Next.destination(household, false), household, "a step with problems is not left");
    assert_eq!(Next.destination(WizardStep::Declaration, true), WizardStep::Declaration);
    assert_eq!(Back.destination(household, false), WizardStep::Applicant);
    assert_eq!(Back.destination(WizardStep::Applicant, true), WizardStep::Applicant);
    assert_eq!(Save.destination(household, true), household);
    assert_eq!(To(WizardStep::Applicant).destination(support, false), WizardStep::Applicant);
    assert_eq!(To(WizardStep::Declaration).destination(support, true), support, "a jump only goes back");
    assert_eq!(To(support).destination(support, true), support);
}

#[test]
fn a_refused_submission_goes_to_the_first_step_with_a_problem() {
    let mut draft = complete_draft();
    draft.signature = String::new();
    draft.housing = "palace".into();
    let errors = validate_request(&draft, TODAY, &kinds()).expect_err("refused");
    assert_eq!(step_to_correct(&errors), Some(WizardStep::Household));
    let first_failing =
        WizardStep::ALL.into_iter().find(|step| !validate_step(&draft, *step, TODAY, &kinds()).is_empty());
    assert_eq!(step_to_correct(&errors), first_failing, "the same as checking step by step");
    assert_eq!(step_to_correct(&[]), None);
}

#[test]
fn one_member_is_checked_on_its_own_with_each_fields_problem() {
    let row = MemberDraft {
        full_name: "خالد سعد علي الغامدي".into(),
        relation: "son".into(),
        birth_date: "2000-05-06".into(),
        national_id: String::new(),
        has_income: "yes".into(),
    };
    let member = check_member(&row, TODAY).expect("a valid member");
    assert_eq!((member.relation, member.has_income, member.national_id), (Relation::Son, true, None));
    let bad = MemberDraft { full_name: "Khalid".into(), relation: "cousin".into(), ..row };
    let problems = check_member(&bad, TODAY).expect_err("invalid");
    assert!(problems.contains(&(MemberField::FullName, FieldProblem::NameNotArabic)), "{problems:?}");
    assert!(problems.contains(&(MemberField::Relation, FieldProblem::ChoiceInvalid)), "{problems:?}");
}

#[test]
fn the_applicant_may_correct_the_household_only_until_the_committee_decides() {
    use RequestStatus::*;
    for status in [Submitted, UnderVerification, MissingInformation, ReferredToResearch, WithCommittee] {
        assert!(household_open_to_applicant(status), "{status:?}");
    }
    for status in [Accepted, Rejected, RegistrationCompleted, ServiceDelivered, Closed] {
        assert!(!household_open_to_applicant(status), "{status:?}");
    }
}
