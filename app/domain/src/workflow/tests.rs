use super::*;
use crate::requests::FieldProblem;

fn day(year: i32, month: u8, day: u8) -> CalendarDay {
    CalendarDay { year, month, day }
}

fn problems(errors: &[WorkflowError]) -> Vec<(&str, WorkflowProblem)> {
    errors.iter().map(|e| (e.field.as_str(), e.problem)).collect()
}

fn all_ticked() -> VerificationChecklist {
    VerificationChecklist {
        items_provided: true,
        data_matches_documents: true,
        documents_valid_on_submission: true,
        note: String::new(),
    }
}

#[test]
fn shared_problem_codes_match_the_request_form() {
    let pairs = [
        (WorkflowProblem::Required, FieldProblem::Required),
        (WorkflowProblem::TooLong, FieldProblem::TooLong),
        (WorkflowProblem::ChoiceInvalid, FieldProblem::ChoiceInvalid),
        (WorkflowProblem::NumberInvalid, FieldProblem::NumberInvalid),
        (WorkflowProblem::NumberOutOfRange, FieldProblem::NumberOutOfRange),
        (WorkflowProblem::DateInvalid, FieldProblem::DateInvalid),
        (WorkflowProblem::DateInFuture, FieldProblem::DateInFuture),
    ];
    for (ours, theirs) in pairs {
        assert_eq!(ours.code(), theirs.code());
    }
    assert_eq!(WorkflowProblem::DateBeforeAcceptance.code(), "date_before_acceptance");
}

#[test]
fn all_ticked_is_verified_and_goes_to_research() {
    let checklist = VerificationChecklist { note: " مطابق\u{200F} ".into(), ..all_ticked() };
    let outcome = verification_outcome(&checklist, "").expect("verified");
    assert_eq!(outcome, VerificationOutcome::Verified { note: "مطابق".into() });
    assert_eq!(outcome.next_status(), RequestStatus::ReferredToResearch);
    assert!(RequestStatus::UnderVerification.can_move_to(outcome.next_status()));
}

#[test]
fn anything_unticked_asks_the_beneficiary_with_a_message() {
    let checklist =
        VerificationChecklist { data_matches_documents: false, documents_valid_on_submission: false, ..all_ticked() };
    let outcome = verification_outcome(&checklist, "  صورة الهوية منتهية  ").expect("missing");
    assert_eq!(
        outcome,
        VerificationOutcome::MissingInformation {
            unticked: vec![ChecklistItem::DataMatchesDocuments, ChecklistItem::DocumentsValidOnSubmission],
            message: "صورة الهوية منتهية".into(),
            note: String::new(),
        }
    );
    assert_eq!(outcome.next_status(), RequestStatus::MissingInformation);
    assert!(RequestStatus::UnderVerification.can_move_to(outcome.next_status()));
    for item in ChecklistItem::ALL {
        let mut one_missing = all_ticked();
        match item {
            ChecklistItem::ItemsProvided => one_missing.items_provided = false,
            ChecklistItem::DataMatchesDocuments => one_missing.data_matches_documents = false,
            ChecklistItem::DocumentsValidOnSubmission => one_missing.documents_valid_on_submission = false,
        }
        let errors = verification_outcome(&one_missing, "").expect_err(item.code());
        assert_eq!(problems(&errors), vec![("message", WorkflowProblem::Required)], "{}", item.code());
        match verification_outcome(&one_missing, "ناقص") {
            Ok(VerificationOutcome::MissingInformation { unticked, .. }) => assert_eq!(unticked, vec![item]),
            other => panic!("{}: {other:?}", item.code()),
        }
    }
}

#[test]
fn a_blank_or_invisible_message_is_not_a_message() {
    let checklist = VerificationChecklist { items_provided: false, ..all_ticked() };
    for blank in ["", "   ", "\u{200F}\u{0640}", "\n \n"] {
        let errors = verification_outcome(&checklist, blank).expect_err("refused");
        assert_eq!(problems(&errors), vec![("message", WorkflowProblem::Required)], "{blank:?}");
    }
    let long = "ا".repeat(MAX_NOTE_CHARS + 1);
    let errors = verification_outcome(&checklist, &long).expect_err("refused");
    assert_eq!(problems(&errors), vec![("message", WorkflowProblem::TooLong)]);
    let errors = verification_outcome(&VerificationChecklist { note: long, ..all_ticked() }, "").expect_err("refused");
    assert_eq!(problems(&errors), vec![("note", WorkflowProblem::TooLong)]);
}

#[test]
fn checklist_codes_read_back() {
    for item in ChecklistItem::ALL {
        assert_eq!(ChecklistItem::from_code(item.code()), Some(item));
    }
    assert_eq!(ChecklistItem::from_code("all_good"), None);
}

#[test]
fn a_referral_needs_a_note_and_keeps_its_lines() {
    assert_eq!(referral_note("  لا يعرف   الإجراء \n\n  يحتاج شرحاً  "), Ok("لا يعرف الإجراء\n\nيحتاج شرحاً".into()));
    let errors = referral_note(" \u{200B} ").expect_err("refused");
    assert_eq!(problems(&errors), vec![("note", WorkflowProblem::Required)]);
}

#[test]
fn study_choices_have_codes() {
    for method in StudyMethod::ALL {
        assert_eq!(StudyMethod::from_code(method.code()), Some(method));
    }
    for recommendation in Recommendation::ALL {
        assert_eq!(Recommendation::from_code(recommendation.code()), Some(recommendation));
    }
    assert_eq!(StudyMethod::FieldVisit.code(), "field_visit");
    assert_eq!(Recommendation::NeedsMore.code(), "needs_more");
}

#[test]
fn a_study_needs_a_method_findings_and_a_recommendation() {
    let form = StudyForm {
        method: "field_visit".into(),
        findings: "الأسرة مكونة من خمسة أفراد والمنزل مستأجر".into(),
        recommendation: "accept".into(),
        message: "ignored".into(),
    };
    let study = check_study(&form).expect("valid");
    assert_eq!(study.method, StudyMethod::FieldVisit);
    assert_eq!(study.recommendation, Recommendation::Accept);
    assert_eq!(study.message, None);
    assert_eq!(study.next_status(), RequestStatus::WithCommittee);

    let empty = check_study(&StudyForm::default()).expect_err("refused");
    assert_eq!(
        problems(&empty),
        vec![
            ("method", WorkflowProblem::Required),
            ("findings", WorkflowProblem::Required),
            ("recommendation", WorkflowProblem::Required),
        ]
    );
    let wrong = check_study(&StudyForm { method: "telepathy".into(), recommendation: "maybe".into(), ..form.clone() })
        .expect_err("refused");
    assert_eq!(
        problems(&wrong),
        vec![("method", WorkflowProblem::ChoiceInvalid), ("recommendation", WorkflowProblem::ChoiceInvalid)]
    );
}

#[test]
fn a_study_that_needs_more_tells_the_beneficiary_what() {
    let form = StudyForm {
        method: "phone_call".into(),
        findings: "لم نتمكن من التحقق من الدخل".into(),
        recommendation: "needs_more".into(),
        message: String::new(),
    };
    assert_eq!(problems(&check_study(&form).expect_err("refused")), vec![("message", WorkflowProblem::Required)]);
    let study = check_study(&StudyForm { message: "نرجو إرفاق تعريف بالراتب".into(), ..form }).expect("valid");
    assert_eq!(study.message.as_deref(), Some("نرجو إرفاق تعريف بالراتب"));
    assert_eq!(study.next_status(), RequestStatus::MissingInformation);
    assert!(RequestStatus::ReferredToResearch.can_move_to(study.next_status()));
    let reject = check_study(&StudyForm { recommendation: "reject".into(), ..StudyForm::default() });
    assert_eq!(problems(&reject.expect_err("refused")).len(), 2);
}

#[test]
fn acceptance_needs_the_support_granted() {
    let form = DecisionForm {
        decision: "accept".into(), reason: String::new(), support: " سلة غذائية  شهرية ".into()
    };
    let decision = check_decision(&form).expect("valid");
    assert_eq!(decision, Decision::Accepted { support: "سلة غذائية شهرية".into() });
    assert_eq!(decision.status(), RequestStatus::Accepted);
    let errors = check_decision(&DecisionForm { support: "\u{0640}".into(), ..form.clone() }).expect_err("refused");
    assert_eq!(problems(&errors), vec![("support", WorkflowProblem::Required)]);
    let errors =
        check_decision(&DecisionForm { support: "س".repeat(MAX_SHORT_TEXT_CHARS + 1), ..form }).expect_err("refused");
    assert_eq!(problems(&errors), vec![("support", WorkflowProblem::TooLong)]);
}

#[test]
fn rejection_and_asking_for_more_need_a_reason() {
    let reject = DecisionForm { decision: "reject".into(), reason: " ".into(), support: "ignored".into() };
    assert_eq!(problems(&check_decision(&reject).expect_err("refused")), vec![("reason", WorkflowProblem::Required)]);
    let decision = check_decision(&DecisionForm { reason: "الدخل أعلى من الحد".into(), ..reject }).expect("valid");
    assert_eq!(decision, Decision::Rejected { reason: "الدخل أعلى من الحد".into() });
    assert_eq!(decision.status(), RequestStatus::Rejected);

    let more = DecisionForm { decision: "more_information".into(), reason: String::new(), support: String::new() };
    assert_eq!(problems(&check_decision(&more).expect_err("refused")), vec![("reason", WorkflowProblem::Required)]);
    let decision = check_decision(&DecisionForm { reason: "صك الإعالة".into(), ..more }).expect("valid");
    assert_eq!(decision.status(), RequestStatus::MissingInformation);

    for kind in DecisionKind::ALL {
        assert_eq!(DecisionKind::from_code(kind.code()), Some(kind));
    }
    let missing = check_decision(&DecisionForm::default()).expect_err("refused");
    assert_eq!(problems(&missing), vec![("decision", WorkflowProblem::Required)]);
    let invalid =
        check_decision(&DecisionForm { decision: "approve".into(), ..DecisionForm::default() }).expect_err("refused");
    assert_eq!(problems(&invalid), vec![("decision", WorkflowProblem::ChoiceInvalid)]);
}

#[test]
fn every_decision_is_an_allowed_move_from_the_committee() {
    let decisions = [
        Decision::Accepted { support: "x".into() },
        Decision::Rejected { reason: "x".into() },
        Decision::MoreInformation { message: "x".into() },
    ];
    for decision in decisions {
        assert!(RequestStatus::WithCommittee.can_move_to(decision.status()), "{decision:?}");
    }
}

#[test]
fn file_numbers_are_padded() {
    assert_eq!(file_number(2026, 42), "BEN-2026-000042");
    assert_eq!(file_number(2027, 1_234_567), "BEN-2027-1234567");
}

const ACCEPTED: CalendarDay = CalendarDay { year: 2026, month: 11, day: 10 };
const TODAY: CalendarDay = CalendarDay { year: 2026, month: 11, day: 25 };

fn service() -> ServiceForm {
    ServiceForm {
        what: "سلة غذائية".into(),
        quantity: "٢".into(),
        unit: "سلة".into(),
        delivered_on: "٢٠٢٦/١١/٢٠".into(),
    }
}

#[test]
fn a_service_is_recorded_with_normalised_quantity_and_date() {
    let delivery = check_service(&service(), ACCEPTED, TODAY).expect("valid");
    assert_eq!(
        delivery,
        ServiceDelivery {
            what: "سلة غذائية".into(), quantity: 2, unit: "سلة".into(), delivered_on: day(2026, 11, 20)
        }
    );
    let amount =
        check_service(&ServiceForm { quantity: "1,500".into(), unit: "ريال".into(), ..service() }, ACCEPTED, TODAY);
    assert_eq!(amount.map(|d| d.quantity), Ok(1500));
    // The day of acceptance and today are both allowed.
    for edge in ["2026-11-10", "2026-11-25"] {
        assert!(
            check_service(&ServiceForm { delivered_on: edge.into(), ..service() }, ACCEPTED, TODAY).is_ok(),
            "{edge}"
        );
    }
}

#[test]
fn a_service_quantity_must_be_a_positive_whole_number() {
    let check = |quantity: &str| {
        check_service(&ServiceForm { quantity: quantity.into(), ..service() }, ACCEPTED, TODAY)
            .map(|d| d.quantity)
            .map_err(|e| e[0].problem)
    };
    assert_eq!(check("0"), Err(WorkflowProblem::NumberOutOfRange));
    assert_eq!(check("-3"), Err(WorkflowProblem::NumberInvalid));
    assert_eq!(check("2.5"), Err(WorkflowProblem::NumberInvalid));
    assert_eq!(check(""), Err(WorkflowProblem::Required));
    assert_eq!(check("10000001"), Err(WorkflowProblem::NumberOutOfRange));
    assert_eq!(check("99999999999999999999999"), Err(WorkflowProblem::NumberOutOfRange));
    assert_eq!(check("١٠٠٠٠٠٠٠"), Ok(MAX_QUANTITY));
}

#[test]
fn a_service_date_is_not_in_the_future_nor_before_acceptance() {
    let check = |date: &str| {
        check_service(&ServiceForm { delivered_on: date.into(), ..service() }, ACCEPTED, TODAY)
            .map_err(|e| problems(&e).iter().map(|p| p.1).collect::<Vec<_>>())
    };
    assert_eq!(check("2026-11-26").map(|_| ()), Err(vec![WorkflowProblem::DateInFuture]));
    assert_eq!(check("2026-11-09").map(|_| ()), Err(vec![WorkflowProblem::DateBeforeAcceptance]));
    assert_eq!(check("2026-02-30").map(|_| ()), Err(vec![WorkflowProblem::DateInvalid]));
    assert_eq!(check("").map(|_| ()), Err(vec![WorkflowProblem::Required]));
}

#[test]
fn every_service_field_is_reported_at_once() {
    let form = ServiceForm {
        what: " ".into(),
        quantity: "كثير".into(),
        unit: "و".repeat(MAX_UNIT_CHARS + 1),
        delivered_on: "غدا".into(),
    };
    assert_eq!(
        problems(&check_service(&form, ACCEPTED, TODAY).expect_err("refused")),
        vec![
            ("what", WorkflowProblem::Required),
            ("quantity", WorkflowProblem::NumberInvalid),
            ("unit", WorkflowProblem::TooLong),
            ("delivered_on", WorkflowProblem::DateInvalid),
        ]
    );
}

#[test]
fn typed_days_are_parsed_strictly() {
    assert_eq!(parse_day("2024-02-29"), Ok(day(2024, 2, 29)));
    assert_eq!(parse_day("۲۰۲۶/۱/۵"), Ok(day(2026, 1, 5)));
    assert_eq!(parse_day(" 2026-12-31 "), Ok(day(2026, 12, 31)));
    for bad in [
        "2023-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "26-01-01",
        "01-01-2026",
        "2026-1",
        "2026-01-01-01",
        "abc",
        "2026-0x-01",
    ] {
        assert_eq!(parse_day(bad), Err(WorkflowProblem::DateInvalid), "{bad}");
    }
    assert_eq!(parse_day("\u{200F}"), Err(WorkflowProblem::Required));
}

#[test]
fn only_undecided_open_requests_become_overdue() {
    use RequestStatus::*;
    let due = 1_000_000;
    for status in RequestStatus::ALL {
        // Waiting for the beneficiary pauses the committee's clock.
        let waiting = matches!(status, Submitted | UnderVerification | ReferredToResearch | WithCommittee);
        assert_eq!(is_overdue(status, due, due + 1), waiting, "{}", status.code());
        assert!(!is_overdue(status, due, due), "{} at the due moment", status.code());
        assert!(!is_overdue(status, due, due - 86_400), "{} before due", status.code());
    }
}
